namespace KernelForge.Core;

/// <summary>Element types a tensor can have on the wire between the worker, the runner and the ABI.</summary>
/// <remarks>The numeric values are the ABI's <c>kf_dtype</c> codes in <c>abi/kforge_abi.h</c>; keep them equal.</remarks>
// CA1720 flags Float32/Int64…; these names are the torch dtype names the protocol carries, so they stay.
#pragma warning disable CA1720
public enum DataType
{
    Float32 = 0,
    Float64 = 1,
    Float16 = 2,
    BFloat16 = 3,
    Int32 = 4,
    Int64 = 5,
    Bool = 6,
    Int8 = 7,
    UInt8 = 8,
}
#pragma warning restore CA1720
