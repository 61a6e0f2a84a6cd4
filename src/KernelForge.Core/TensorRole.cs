namespace KernelForge.Core;

/// <summary>Where a tensor of a problem comes from; the ABI passes inputs, then parameters, then buffers, in that order.</summary>
public enum TensorRole
{
    Input,
    Parameter,
    Buffer,
    Output,
}
