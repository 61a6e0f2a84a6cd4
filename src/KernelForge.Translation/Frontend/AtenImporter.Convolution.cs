using System.Collections.Immutable;
using KernelForge.Translation.IR;
using static System.FormattableString;

namespace KernelForge.Translation.Frontend;

/// <summary>Convolutions: <c>aten.convolution</c> (what core-ATen decomposition leaves), and the conv/conv_transpose ops a graph may keep.</summary>
/// <remarks>
/// Argument orders, from ATen's native_functions.yaml: <c>convolution(input, weight, bias, stride, padding, dilation, transposed,
/// output_padding, groups)</c>; <c>conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1)</c>;
/// <c>conv_transpose2d.input(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1)</c>.
/// String padding (<c>'same'</c>, <c>'valid'</c>) is refused; export spells it as numbers in <c>aten.convolution</c>.
/// </remarks>
internal sealed partial class AtenImporter
{
    private bool ImportConvolution(ExportedNode node)
    {
        var target = node.Target;
        var general = target == "aten.convolution.default";
        var transposed = target.StartsWith("aten.conv_transpose", StringComparison.Ordinal);
        long[]? stride, padding, dilation, outputPadding = null, groups;
        var ok = TryTensor(node, 0, "input", out var x) & TryTensor(node, 1, "weight", out var weight) & TryOptionalTensor(node, 2, "bias", out var bias)
            & TryIntList(node, 3, "stride", out stride) & TryIntList(node, 4, "padding", out padding);
        if (general)
        {
            ok &= TryIntList(node, 5, "dilation", out dilation) & TryBool(node, 6, "transposed", false, out transposed)
                & TryIntList(node, 7, "output_padding", out outputPadding) & TryIntList(node, 8, "groups", out groups);
        }
        else if (transposed)
        {
            ok &= TryIntList(node, 5, "output_padding", out outputPadding) & TryIntList(node, 6, "groups", out groups) & TryIntList(node, 7, "dilation", out dilation);
        }
        else
        {
            ok &= TryIntList(node, 5, "dilation", out dilation) & TryIntList(node, 6, "groups", out groups);
        }

        if (!ok || !AreFloat32(node, [x, weight, .. bias is null ? [] : new[] { bias }]))
        {
            return false;
        }

        var rank = x.Shape.Rank - 2;
        if (rank is < 1 or > 3 || weight.Shape.Rank != x.Shape.Rank)
        {
            return Unsupported(node, $"convolving a {x.Shape} input with a {weight.Shape} weight (only [N, C, spatial...] with 1 to 3 spatial axes and a weight of the same rank is)");
        }

        if (groups is { Length: > 1 })
        {
            return Unsupported(node, "`groups` must be one integer");
        }

        if (ConvolutionWindow(node, rank, stride, padding, dilation, outputPadding, transposed) is not { } window)
        {
            return false;
        }

        var operation = new ConvolutionOp(new IRValue(node.Name, Shape.Scalar, x.DataType), x.Name, weight.Name, bias?.Name,
            window.Stride, window.Padding, window.Dilation, transposed, window.OutputPadding, groups is [var g] ? g : 1);
        if (operation.Groups < 1)
        {
            _diagnostics.Error(node.Name, Invariant($"{target}: `groups` {operation.Groups} must be positive."));
            return false;
        }

        if (operation.OutputShape(x.Shape, weight.Shape) is not { } shape)
        {
            _diagnostics.Error(node.Name, Invariant($"{target}: a {x.Shape} input, a {weight.Shape} weight and groups = {operation.Groups} do not fit together (input channels divisible by groups and matching the weight), or an output extent is below 1; torch refuses it too."));
            return false;
        }

        var channels = shape[1];
        if (bias is not null && bias.Shape != Shape.Of(channels))
        {
            _diagnostics.Error(node.Name, Invariant($"{target}: the bias {bias.Shape} must have one element per output channel ({channels})."));
            return false;
        }

        Emit(node, operation with { Result = operation.Result with { Shape = shape } });
        return true;
    }

    private sealed record ConvolutionParameters(ImmutableArray<long> Stride, ImmutableArray<long> Padding, ImmutableArray<long> Dilation, ImmutableArray<long> OutputPadding);

    /// <summary>Each argument expanded to one entry per spatial axis (one int repeats) and checked as torch's <c>check_shape_forward</c> does.</summary>
    private ConvolutionParameters? ConvolutionWindow(ExportedNode node, int rank, long[]? strideArgument, long[]? paddingArgument, long[]? dilationArgument, long[]? outputPaddingArgument, bool transposed)
    {
        ImmutableArray<long> Repeat(long value) => [.. Enumerable.Repeat(value, rank)];
        if (Expand(node, "stride", strideArgument, rank, Repeat(1), "convolution") is not { } stride
            || Expand(node, "padding", paddingArgument, rank, Repeat(0), "convolution") is not { } padding
            || Expand(node, "dilation", dilationArgument, rank, Repeat(1), "convolution") is not { } dilation
            || Expand(node, "output_padding", outputPaddingArgument, rank, Repeat(0), "convolution") is not { } outputPadding)
        {
            return null;
        }

        string? problem = null;
        for (var i = 0; i < rank && problem is null; i++)
        {
            problem = stride[i] < 1 ? Invariant($"`stride` {stride[i]} must be positive")
                : dilation[i] < 1 ? Invariant($"`dilation` {dilation[i]} must be positive")
                : padding[i] < 0 ? Invariant($"`padding` {padding[i]} must not be negative")
                : outputPadding[i] < 0 ? Invariant($"`output_padding` {outputPadding[i]} must not be negative")
                : !transposed && outputPadding[i] != 0 ? "`output_padding` applies to transposed convolutions only"
                : transposed && outputPadding[i] >= stride[i] && outputPadding[i] >= dilation[i]
                    ? Invariant($"`output_padding` {outputPadding[i]} must be smaller than the stride ({stride[i]}) or the dilation ({dilation[i]}); torch refuses it too")
                : null;
        }

        if (problem is not null)
        {
            _diagnostics.Error(node.Name, $"{node.Target}: {problem}.");
            return null;
        }

        return new ConvolutionParameters(stride, padding, dilation, outputPadding);
    }
}
