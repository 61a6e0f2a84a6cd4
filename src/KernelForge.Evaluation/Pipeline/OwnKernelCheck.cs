namespace KernelForge.Evaluation.Pipeline;

/// <summary>
/// "The kernel really ran", in the part that needs no launch counting: an ABI module whose build contains no kernel
/// (ptxas compiled no entry function) and that calls no library can only have produced its outputs with copies and
/// memsets, i.e. a constant or a copy of the inputs, never a computation. Such a candidate is rejected before it runs.
/// </summary>
/// <remarks>
/// Not covered here: a module that defines kernels but never launches them, or launches only some; the launches counted
/// at run time (<see cref="KernelLaunchCheck"/>) cover that where CUPTI is available.
/// </remarks>
public static class OwnKernelCheck
{
    /// <summary>Null when the build has kernels of its own or the candidate uses a library; otherwise why it is rejected.</summary>
    public static string? Check(int compiledKernelCount, IReadOnlyList<string> librariesUsed)
    {
        ArgumentNullException.ThrowIfNull(librariesUsed);
        return compiledKernelCount > 0 || librariesUsed.Count > 0
            ? null
            : "The candidate's module contains no kernel (ptxas compiled no __global__ function) and it calls no library, so "
              + "whatever it writes comes from copies or memsets, not from a computation. Compute the outputs in a __global__ "
              + "kernel launched from kforge_entry on the harness stream.";
    }
}
