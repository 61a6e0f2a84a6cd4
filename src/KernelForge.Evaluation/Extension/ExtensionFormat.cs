namespace KernelForge.Evaluation.Extension;

/// <summary>Which torch-extension form a candidate is written in; both are built and run by the extension runner.</summary>
public enum ExtensionFormat
{
    /// <summary>A KernelBench-style Python file defining <c>class ModelNew(nn.Module)</c> (protocol name <c>model_new</c>).</summary>
    ModelNew,

    /// <summary>A <c>.cu</c> with a pybind11 <c>forward</c> taking the inputs, then the parameters, then the buffers (protocol name <c>pybind</c>).</summary>
    Pybind,
}
