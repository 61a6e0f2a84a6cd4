namespace KernelForge.Translation.Cuda;

/// <summary>The small helper functions an emitted file may need; only those used are written, in this order.</summary>
[Flags]
internal enum DeviceHelpers
{
    None = 0,
    HasShape = 1 << 0,
    Aligned16 = 1 << 1,
    Maximum = 1 << 2,
    Minimum = 1 << 3,
    WarpSum = 1 << 4,
    BlockSum = 1 << 5 | WarpSum,
    WarpMax = 1 << 6,
    BlockMax = 1 << 7 | WarpMax,
    MaxNan = 1 << 8,
    BlockMaxNan = 1 << 9 | MaxNan,
    MinNan = 1 << 10,
    BlockMinNan = 1 << 11 | MinNan,
    WarpProd = 1 << 12,
    BlockProd = 1 << 13 | WarpProd,
    ArgMax = 1 << 14,
    BlockArgMax = 1 << 15 | ArgMax,
    ArgMin = 1 << 16,
    BlockArgMin = 1 << 17 | ArgMin,
    Remainder = 1 << 18,
}
