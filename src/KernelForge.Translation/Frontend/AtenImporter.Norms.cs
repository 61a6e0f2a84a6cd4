using KernelForge.Core;
using KernelForge.Translation.IR;
using static System.FormattableString;

namespace KernelForge.Translation.Frontend;

/// <summary>Batch, instance and group norm, written as the IR the translator already lowers: row layer norms and per-channel pointwise ops.</summary>
/// <remarks>
/// <b>Batch norm with running statistics</b> (eval mode, how the reference worker runs problems): <c>(x - mean) · rsqrt(var + eps)
/// · weight + bias</c> per channel, a pointwise chain that <see cref="Passes.FuseElementwise"/> makes one kernel (and fuses with
/// what follows). <b>Batch statistics</b> (<c>_native_batch_norm_legit.no_stats</c>, what <c>instance_norm</c> decomposes to,
/// on a <c>[1, N·C, spatial…]</c> view): each channel's plane is one row of a layer norm. <b>Group norm</b>: each (image,
/// group) is one row of a layer norm, then the per-channel affine. Argument orders from native_functions.yaml:
/// <c>_native_batch_norm_legit_no_training(input, weight, bias, running_mean, running_var, momentum, eps)</c>,
/// <c>_native_batch_norm_legit.no_stats(input, weight, bias, training, momentum, eps)</c>,
/// <c>batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps, cudnn_enabled)</c>,
/// <c>native_group_norm(input, weight, bias, N, C, HxW, group, eps)</c>, <c>group_norm(input, num_groups, weight, bias, eps, cudnn_enabled)</c>.
/// The mean and rstd results some of them return (for training's backward) are refused where read.
/// </remarks>
internal sealed partial class AtenImporter
{
    private const string StatisticsReason = "the statistics a batch or group norm returns beside its result (the saved mean and rstd for training's backward, a batch norm's updated running statistics) are not supported yet where read";

    private bool ImportBatchNorm(ExportedNode node)
    {
        var target = node.Target;
        IRValue? mean = null, variance = null;
        var training = false;
        double? eps;
        var ok = TryTensor(node, 0, "input", out var x) & TryOptionalTensor(node, 1, "weight", out var weight) & TryOptionalTensor(node, 2, "bias", out var bias);
        switch (target)
        {
            case "aten._native_batch_norm_legit_no_training.default":
                ok &= TryOptionalTensor(node, 3, "running_mean", out mean) & TryOptionalTensor(node, 4, "running_var", out variance) & TryNumber(node, 6, "eps", null, out eps);
                break;
            case "aten._native_batch_norm_legit.no_stats":
                ok &= TryBool(node, 3, "training", true, out training) & TryNumber(node, 5, "eps", null, out eps);
                break;
            default:  // batch_norm, native_batch_norm, _native_batch_norm_legit(.default, _functional): running stats, then training
                ok &= TryOptionalTensor(node, 3, "running_mean", out mean) & TryOptionalTensor(node, 4, "running_var", out variance)
                    & TryBool(node, 5, "training", false, out training) & TryNumber(node, 7, "eps", null, out eps);
                break;
        }

        if (!ok || !AreFloat32(node, [x, .. new[] { weight, bias, mean, variance }.OfType<IRValue>()]))
        {
            return false;
        }

        if (eps is null || x.Shape.Rank < 2)
        {
            return Unsupported(node, eps is null ? "`eps` must be a number" : Invariant($"a batch norm of a rank-{x.Shape.Rank} tensor (it needs a channel axis)"));
        }

        var channels = x.Shape[1];
        foreach (var vector in new[] { weight, bias, mean, variance }.OfType<IRValue>())
        {
            if (vector.Shape != Shape.Of(channels))
            {
                _diagnostics.Error(node.Name, Invariant($"{target}: %{vector.Name} has shape {vector.Shape}; per-channel tensors have {channels} elements."));
                return false;
            }
        }

        IRValue normalized;
        if (!training && mean is not null && variance is not null)
        {
            // Eval mode: (x - mean) * rsqrt(var + eps), all per channel.
            var centered = Binary(node, BinaryOpKind.Sub, x, PerChannel(node, mean, x.Shape), x.Shape, "centered");
            var shifted = Binary(node, BinaryOpKind.Add, PerChannel(node, variance, x.Shape), Constant(node, eps.Value), Shape.Of([.. PerChannelShape(x.Shape, channels)]), "var_eps");
            var scale = Emit(node, new UnaryOp(new IRValue(FreshName(node.Name + "_rstd"), shifted.Shape, DataType.Float32), UnaryOpKind.Rsqrt, shifted.Name), isNodeResult: false);
            normalized = Binary(node, BinaryOpKind.Mul, centered, scale, x.Shape, "normalized");
        }
        else if (x.Shape[0] == 1)
        {
            // Batch statistics of a batch of one: each channel's plane is a row (instance_norm's [1, N*C, ...] view).
            normalized = NormalizeRows(node, x, rows: channels, eps.Value);
        }
        else
        {
            // Batch statistics over several images (track_running_stats=False): one kernel per channel, affine included.
            var norm = Emit(node, new ChannelNormOp(x with { Name = FreshName(node.Name + "_norm") }, x.Name, weight?.Name, bias?.Name, eps.Value), isNodeResult: false);
            return Finish(node, norm);
        }

        return Finish(node, Affine(node, normalized, weight, bias, x.Shape));
    }

    /// <summary>Registers <paramref name="result"/> as the node's value, or as element 0 of its tuple (the statistics refused where read).</summary>
    private bool Finish(ExportedNode node, IRValue result)
    {
        if (!node.IsTuple)
        {
            Alias(node, result);
            return true;
        }

        CheckMeta(node, result, node.Results[0]);
        _tuples[node.Name] = [(result, null), .. Enumerable.Repeat<(IRValue?, string?)>((null, StatisticsReason), Math.Max(node.Results.Length - 1, 2))];
        return true;
    }

    private bool ImportGroupNorm(ExportedNode node)
    {
        var native = node.Target == "aten.native_group_norm.default";
        long[]? groups;
        double? eps;
        IRValue? weight, bias;
        IRValue x;
        bool ok;
        if (native)
        {
            ok = TryTensor(node, 0, "input", out x) & TryOptionalTensor(node, 1, "weight", out weight) & TryOptionalTensor(node, 2, "bias", out bias)
                & TryIntList(node, 6, "group", out groups) & TryNumber(node, 7, "eps", null, out eps);
        }
        else
        {
            ok = TryTensor(node, 0, "input", out x) & TryIntList(node, 1, "num_groups", out groups) & TryOptionalTensor(node, 2, "weight", out weight)
                & TryOptionalTensor(node, 3, "bias", out bias) & TryNumber(node, 4, "eps", 1e-5, out eps);
        }

        if (!ok || !AreFloat32(node, [x, .. new[] { weight, bias }.OfType<IRValue>()]))
        {
            return false;
        }

        if (groups is not [var g] || eps is null || x.Shape.Rank < 2 || g < 1 || x.Shape[1] % g != 0)
        {
            return Unsupported(node, Invariant($"groups {(groups is [var n] ? IRPrinter.Number(n) : "?")} of a {x.Shape} input (the channels must divide into the groups, and eps be a number)"));
        }

        foreach (var vector in new[] { weight, bias }.OfType<IRValue>())
        {
            if (vector.Shape != Shape.Of(x.Shape[1]))
            {
                _diagnostics.Error(node.Name, Invariant($"{node.Target}: %{vector.Name} has shape {vector.Shape}; per-channel tensors have {x.Shape[1]} elements."));
                return false;
            }
        }

        var normalized = NormalizeRows(node, x, rows: x.Shape[0] * g, eps.Value);
        return Finish(node, Affine(node, normalized, weight, bias, x.Shape));
    }

    /// <summary>Layer norm (no affine) of <paramref name="x"/> seen as <paramref name="rows"/> contiguous rows, viewed back as x.</summary>
    private IRValue NormalizeRows(ExportedNode node, IRValue x, long rows, double eps)
    {
        var flat = Emit(node, new ReshapeOp(new IRValue(FreshName(node.Name + "_rows"), Shape.Of(rows, x.Shape.ElementCount / rows), x.DataType), x.Name), isNodeResult: false);
        var norm = Emit(node, new RowLayerNormOp(flat with { Name = FreshName(node.Name + "_norm") }, flat.Name, null, null, eps), isNodeResult: false);
        return Emit(node, new ReshapeOp(x with { Name = FreshName(node.Name + "_normalized") }, norm.Name), isNodeResult: false);
    }

    /// <summary><paramref name="value"/> times the per-channel weight plus the per-channel bias, each when present.</summary>
    private IRValue Affine(ExportedNode node, IRValue value, IRValue? weight, IRValue? bias, Shape shape)
    {
        if (weight is not null)
        {
            value = Binary(node, BinaryOpKind.Mul, value, PerChannel(node, weight, shape), shape, "scaled");
        }

        if (bias is not null)
        {
            value = Binary(node, BinaryOpKind.Add, value, PerChannel(node, bias, shape), shape, "shifted");
        }

        return value;
    }

    /// <summary>A [C] vector viewed as [C, 1, …] so it broadcasts along the channel axis of an [N, C, spatial…] tensor.</summary>
    private IRValue PerChannel(ExportedNode node, IRValue vector, Shape shape) =>
        Emit(node, new ReshapeOp(new IRValue(FreshName(vector.Name + "_per_channel"), Shape.Of([.. PerChannelShape(shape, vector.Shape.ElementCount)]), vector.DataType), vector.Name), isNodeResult: false);

    private static IEnumerable<long> PerChannelShape(Shape shape, long channels) => [channels, .. Enumerable.Repeat(1L, shape.Rank - 2)];

    private IRValue Binary(ExportedNode node, BinaryOpKind kind, IRValue left, IRValue right, Shape shape, string stem) =>
        Emit(node, new BinaryOp(new IRValue(FreshName(node.Name + "_" + stem), shape, DataType.Float32), kind, left.Name, right.Name), isNodeResult: false);

    /// <summary>Makes <paramref name="value"/> the node's result under the node's own name (a free view), so later nodes and outputs find it.</summary>
    private void Alias(ExportedNode node, IRValue value) => Emit(node, new ReshapeOp(value with { Name = node.Name }, value.Name));
}
