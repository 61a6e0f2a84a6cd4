namespace KernelForge.Core;

/// <summary>What ptxas reported for one kernel (<c>-Xptxas -v</c>): free profiling data from every build.</summary>
public sealed record KernelResourceUsage(
    string Name,
    int Registers,
    int SharedMemoryBytes,
    int StackFrameBytes,
    int SpillStoreBytes,
    int SpillLoadBytes,
    int ConstantMemoryBytes);
