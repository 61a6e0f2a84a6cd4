using KernelForge.Translation.IR;

namespace KernelForge.Translation.Passes;

/// <summary>One rewrite of an <see cref="IRGraph"/> that keeps its meaning; composed in <see cref="PassPipeline"/>.</summary>
/// <remarks>Passes are stateless and thread-safe, and return a graph <see cref="IRVerifier"/> accepts when given one it accepts.</remarks>
public interface IGraphPass
{
    /// <summary>The pass's name, e.g. <c>FuseElementwise</c>, for logs and test messages.</summary>
    string Name { get; }

    IRGraph Run(IRGraph graph);
}
