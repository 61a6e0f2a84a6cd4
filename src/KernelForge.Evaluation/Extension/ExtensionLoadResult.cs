using KernelForge.Core;

namespace KernelForge.Evaluation.Extension;

/// <summary>
/// Outcome of building a torch-extension candidate in the extension runner: built (with the build time and any
/// warnings), or why not (<c>compile_error</c>, <c>load_error</c>, <c>runner_crashed</c>, <c>timeout</c>).
/// </summary>
/// <remarks>
/// <see cref="BuildSeconds"/> covers running the ModelNew file (its <c>load_inline</c> builds) and constructing
/// <c>ModelNew</c>, or torch's build of the pybind <c>.cu</c>; a cached build is fast. Null when the build failed.
/// </remarks>
public sealed record ExtensionLoadResult(FailureKind? Failure, string? Message, double? BuildSeconds, IReadOnlyList<string> Warnings)
{
    public bool Succeeded => Failure is null;

    public static ExtensionLoadResult Built(double? buildSeconds, IReadOnlyList<string> warnings) => new(Failure: null, Message: null, buildSeconds, warnings);

    public static ExtensionLoadResult Failed(FailureKind failure, string message) => new(failure, message, BuildSeconds: null, Warnings: []);
}
