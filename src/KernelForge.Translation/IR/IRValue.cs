using KernelForge.Core;

namespace KernelForge.Translation.IR;

/// <summary>One tensor the graph computes or receives: its name (unique in the graph), static shape and element type.</summary>
public sealed record IRValue(string Name, Shape Shape, DataType DataType)
{
    public override string ToString() => $"{Name}: {DataType.ToProtocolName()}{Shape}";
}
