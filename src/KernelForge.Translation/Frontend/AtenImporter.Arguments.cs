using KernelForge.Core;
using KernelForge.Translation.IR;
using static System.FormattableString;

namespace KernelForge.Translation.Frontend;

/// <summary>Reading typed arguments (positional or keyword, with torch's defaults) off a node.</summary>
internal sealed partial class AtenImporter
{
    /// <summary>Keyword-only parameters have no position: this index is never a positional one.</summary>
    private const int KeywordOnly = int.MaxValue;

    private bool TryTensor(ExportedNode node, int index, string name, out IRValue value)
    {
        value = null!;
        switch (node.Argument(index, name))
        {
            case NodeReference reference when Lookup(reference.Name, node.Name) is { } found:
                value = found;
                return true;
            case NodeReference:
                return false;
            case var other:
                _diagnostics.Error(node.Name, $"{node.Target} expects a tensor for `{name}`, got {Describe(other)}.");
                return false;
        }
    }

    /// <summary>A tensor, or a Python number made into a 0-d constant (torch converts it to the tensor's float32).</summary>
    private bool TryOperand(ExportedNode node, int index, string name, out IRValue value)
    {
        if (node.Argument(index, name) is NumberArgument number)
        {
            value = Constant(node, number.Value);
            return true;
        }

        return TryTensor(node, index, name, out value);
    }

    private IRValue Constant(ExportedNode node, double number) =>
        Emit(node, new ConstantOp(new IRValue(FreshName(node.Name + "_scalar"), Shape.Scalar, DataType.Float32), number), isNodeResult: false);

    private bool TryNumber(ExportedNode node, int index, string name, double? defaultValue, out double? value)
    {
        switch (node.Argument(index, name))
        {
            case null or NoneArgument:
                value = defaultValue;
                return true;
            case NumberArgument number:
                value = number.Value;
                return true;
            case var other:
                value = null;
                _diagnostics.Error(node.Name, $"{node.Target} expects a number for `{name}`, got {Describe(other)}.");
                return false;
        }
    }

    private bool TryBool(ExportedNode node, int index, string name, bool defaultValue, out bool value)
    {
        switch (node.Argument(index, name))
        {
            case null or NoneArgument:
                value = defaultValue;
                return true;
            case BoolArgument flag:
                value = flag.Value;
                return true;
            case var other:
                value = defaultValue;
                _diagnostics.Error(node.Name, $"{node.Target} expects a bool for `{name}`, got {Describe(other)}.");
                return false;
        }
    }

    /// <summary>An int or a list of ints; null (not an error) when the argument is None or absent.</summary>
    private bool TryIntList(ExportedNode node, int index, string name, out long[]? values)
    {
        values = null;
        switch (node.Argument(index, name))
        {
            case null or NoneArgument:
                return true;
            case NumberArgument { IsInteger: true } number:
                values = [(long)number.Value];
                return true;
            case ListArgument list when list.Items.All(i => i is NumberArgument { IsInteger: true }):
                values = [.. list.Items.Select(i => (long)((NumberArgument)i).Value)];
                return true;
            case var other:
                _diagnostics.Error(node.Name, $"{node.Target} expects integers for `{name}`, got {Describe(other)}.");
                return false;
        }
    }

    /// <summary>Torch's dim normalization: -1 is the last axis; out of range is an error.</summary>
    private bool TryAxis(ExportedNode node, long dim, int rank, out int axis)
    {
        var effectiveRank = Math.Max(rank, 1);
        axis = (int)(dim < 0 ? dim + effectiveRank : dim);
        if (axis >= 0 && axis < effectiveRank)
        {
            return true;
        }

        _diagnostics.Error(node.Name, Invariant($"dim {dim} is out of range for a rank-{rank} tensor."));
        return false;
    }

    /// <summary>Requires a keyword such as <c>dtype</c> to be absent, None, or float32.</summary>
    private bool IsFloat32OrAbsent(ExportedNode node, string name) =>
        node.Argument(KeywordOnly, name) switch
        {
            null or NoneArgument => true,
            DataTypeArgument { Name: "float32" } => true,
            var other => Unsupported(node, $"`{name}` = {Describe(other)}; only float32 is handled"),
        };

    private static string Describe(NodeArgument? argument) => argument switch
    {
        null => "nothing",
        NodeReference reference => "%" + reference.Name,
        NumberArgument number => IRPrinter.Number(number.Value),
        BoolArgument flag => flag.Value ? "True" : "False",
        NoneArgument => "None",
        ListArgument list => "[" + string.Join(", ", list.Items.Select(Describe)) + "]",
        DataTypeArgument dtype => dtype.Name,
        TextArgument text => text.Tag is null ? $"'{text.Value}'" : $"{text.Tag} {text.Value}",
        _ => argument.ToString() ?? "?",
    };
}
