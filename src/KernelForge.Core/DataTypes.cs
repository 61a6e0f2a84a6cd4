namespace KernelForge.Core;

/// <summary>Names and sizes of <see cref="DataType"/> values as the worker protocol spells them (torch names without the prefix).</summary>
public static class DataTypes
{
    /// <summary>Bytes one element occupies.</summary>
    public static int ElementBytes(this DataType type) => type switch
    {
        DataType.Float64 or DataType.Int64 => 8,
        DataType.Float32 or DataType.Int32 => 4,
        DataType.Float16 or DataType.BFloat16 => 2,
        DataType.Bool or DataType.Int8 or DataType.UInt8 => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown data type."),
    };

    /// <summary>The protocol name, e.g. <c>float32</c>.</summary>
    public static string ToProtocolName(this DataType type) => type switch
    {
        DataType.Float32 => "float32",
        DataType.Float64 => "float64",
        DataType.Float16 => "float16",
        DataType.BFloat16 => "bfloat16",
        DataType.Int32 => "int32",
        DataType.Int64 => "int64",
        DataType.Bool => "bool",
        DataType.Int8 => "int8",
        DataType.UInt8 => "uint8",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown data type."),
    };

    /// <summary>Parses a protocol name; returns false for a name this build does not know.</summary>
    public static bool TryParse(string name, out DataType type)
    {
        foreach (var candidate in Enum.GetValues<DataType>())
        {
            if (candidate.ToProtocolName() == name)
            {
                type = candidate;
                return true;
            }
        }

        type = default;
        return false;
    }

    /// <summary>True for floating-point types, whose outputs are poisoned with NaN and compared with tolerances.</summary>
    public static bool IsFloatingPoint(this DataType type) =>
        type is DataType.Float32 or DataType.Float64 or DataType.Float16 or DataType.BFloat16;
}
