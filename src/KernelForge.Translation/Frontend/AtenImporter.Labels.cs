using KernelForge.Core;
using KernelForge.Translation.IR;

namespace KernelForge.Translation.Frontend;

/// <summary>int64 tensors compared or selected (class labels, their ignore masks): converted to float32 once, and what may read them.</summary>
/// <remarks>
/// A converted label is float32 in the IR where torch has int64: exact below 2^24, rounded to nearest above, as torch's
/// own int64 → float32 conversion rounds. Rounding is monotonic and leaves every integer below 2^24 as it is, so comparing a
/// label with an integer below 2^24 (a constant, an arange) gives torch's int64 answer, and so does indexing an axis of at
/// most 2^24 positions (a label at or above 2^24 stays out of range; <see cref="GatherOp"/> checks it). Selects between
/// labels and integers, and views, keep a label a label. Arithmetic on labels, reducing them, and comparing two labels
/// could differ from torch's int64 results and are refused (<see cref="CheckMeta"/> finds no rule for them).
/// </remarks>
internal sealed partial class AtenImporter
{
    /// <summary>The IR names of float32 values torch records as int64 labels (see the remarks above).</summary>
    private readonly HashSet<string> _labels = new(StringComparer.Ordinal);

    /// <summary>The float32 conversion of each int64 value already converted, so every reader shares one kernel.</summary>
    private readonly Dictionary<string, IRValue> _converted = new(StringComparer.Ordinal);

    private static readonly HashSet<string> ViewTargets = new(StringComparer.Ordinal)
    {
        "aten.unsqueeze.default", "aten.view.default", "aten.reshape.default", "aten._unsafe_view.default", "aten.squeeze.dim",
        "aten.squeeze.dims", "aten.squeeze.default", "aten.clone.default", "aten.alias.default",
    };

    /// <summary>An int64 value as float32 numbers (one <see cref="ConvertOp"/> per value, a label); any other value unchanged.</summary>
    private IRValue AsNumbers(ExportedNode node, IRValue value)
    {
        if (value.DataType != DataType.Int64)
        {
            return value;
        }

        if (!_converted.TryGetValue(value.Name, out var converted))
        {
            converted = Emit(node, new ConvertOp(new IRValue(FreshName(value.Name + "_float"), value.Shape, DataType.Float32), value.Name), isNodeResult: false);
            _converted[value.Name] = converted;
            _labels.Add(converted.Name);
        }

        return converted;
    }

    /// <summary>A bool value as float32 0/1 (a select, which fuses into its reader); any other value unchanged.</summary>
    private IRValue BoolAsNumbers(ExportedNode node, IRValue value) => value.DataType != DataType.Bool
        ? value
        : Emit(node, new SelectOp(new IRValue(FreshName(value.Name + "_number"), value.Shape, DataType.Float32), value.Name, Constant(node, 1).Name, Constant(node, 0).Name), isNodeResult: false);

    /// <summary>True for an int64 value, or a float32 one holding converted labels: integers, rounded above 2^24.</summary>
    private bool IsLabel(IRValue value) => value.DataType == DataType.Int64 || _labels.Contains(value.Name);

    /// <summary>
    /// Whether comparing <paramref name="left"/> and <paramref name="right"/> (one of them a label) in float32 gives torch's
    /// answer: not two labels, and not a label against an integer constant at or above 2^24 (reports why not).
    /// </summary>
    private bool ComparesLikeTorch(ExportedNode node, IRValue left, IRValue right)
    {
        if (IsLabel(left) && IsLabel(right))
        {
            return Unsupported(node, "comparing two int64 tensors (they are compared as float32, exact only below 2^24)");
        }

        var numbers = node.Args.Take(2).OfType<NumberArgument>();
        return numbers.All(n => !n.IsInteger || Math.Abs(n.Value) < IotaOp.ExactLimit)
            || Unsupported(node, "comparing an int64 tensor with an integer at or beyond 2^24 (they are compared as float32)");
    }

    /// <summary>
    /// A float32 value torch records as int64 whose values are label-like integers: a select between labels and integers, or
    /// a view of a label.
    /// </summary>
    private bool IsLabelResult(ExportedNode node, string dtype, IRValue value) =>
        dtype is "int64" or "int32" && value.DataType == DataType.Float32
        && (_labels.Contains(value.Name)
            || (ViewTargets.Contains(node.Target) && node.Args.OfType<NodeReference>().Select(r => _values.GetValueOrDefault(r.Name)).FirstOrDefault() is { } source
                && _labels.Contains(source.Name)));

    /// <summary>
    /// int64 and int32 fills (<c>scalar_tensor(0, dtype=torch.int64)</c>, the zero a safe label is selected from): carried as
    /// float32, exact when the value is an integer below 2^24. Declares the node an exact integer; false for other dtypes.
    /// </summary>
    private bool IsExactIntegerFill(ExportedNode node, double value)
    {
        if (node.Argument(KeywordOnly, "dtype") is not DataTypeArgument { Name: "int64" or "int32" } || value != Math.Floor(value) || Math.Abs(value) >= IotaOp.ExactLimit)
        {
            return false;
        }

        _exactIntegers.Add(node.Name);
        return true;
    }
}
