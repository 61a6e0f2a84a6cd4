using System.Collections.Frozen;

namespace KernelForge.Evaluation.Validation;

/// <summary>Which torch calls compute (and so make a candidate fall back to torch) and which only allocate or describe tensors.</summary>
internal static class TorchOps
{
    /// <summary>Compute operations, as <c>torch.X</c>, <c>F.X</c>, <c>at::X</c> or a tensor method <c>.X(</c>.</summary>
    public static readonly FrozenSet<string> Compute = FrozenSet.Create(StringComparer.Ordinal,
        "matmul", "mm", "bmm", "addmm", "addbmm", "baddbmm", "addmv", "einsum", "tensordot", "dot", "mv", "outer", "linear",
        "bilinear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "convolution",
        "softmax", "log_softmax", "relu", "relu_", "gelu", "sigmoid", "tanh", "silu", "elu", "selu", "leaky_relu", "hardtanh",
        "softplus", "mish", "layer_norm", "group_norm", "batch_norm", "instance_norm", "rms_norm", "normalize", "dropout",
        "sum", "mean", "cumsum", "cumprod", "prod", "amax", "amin", "argmax", "argmin", "max", "min", "norm", "var", "std",
        "logsumexp", "exp", "log", "sqrt", "rsqrt", "pow", "mse_loss", "cross_entropy", "nll_loss", "kl_div", "smooth_l1_loss",
        "huber_loss", "l1_loss", "binary_cross_entropy", "cosine_similarity", "triplet_margin_loss", "hinge_embedding_loss",
        "max_pool1d", "max_pool2d", "max_pool3d", "avg_pool1d", "avg_pool2d", "avg_pool3d", "adaptive_avg_pool1d",
        "adaptive_avg_pool2d", "adaptive_avg_pool3d", "adaptive_max_pool2d", "interpolate", "scaled_dot_product_attention",
        "topk", "sort", "cdist", "matrix_power", "clamp", "where", "cat", "stack", "add", "sub", "mul", "div", "abs",
        "fft", "ifft", "rfft", "tril", "triu", "diag", "kron", "cross", "lerp", "addcmul", "addcdiv", "hardswish", "hardsigmoid");

    /// <summary>Python <c>torch.X</c> calls that allocate, describe or configure but compute nothing.</summary>
    public static readonly FrozenSet<string> PythonNonCompute = FrozenSet.Create(StringComparer.Ordinal,
        "torch.empty", "torch.empty_like", "torch.empty_strided", "torch.zeros", "torch.zeros_like", "torch.ones", "torch.ones_like",
        "torch.full", "torch.full_like", "torch.tensor", "torch.as_tensor", "torch.device", "torch.Size", "torch.is_tensor",
        "torch.numel", "torch.no_grad", "torch.inference_mode", "torch.enable_grad", "torch.set_grad_enabled",
        "torch.get_default_dtype", "torch.finfo", "torch.iinfo", "torch.Tensor", "torch.dtype", "torch.is_floating_point",
        "torch.result_type", "torch.promote_types");

    /// <summary>Python namespaces whose calls compute nothing themselves (the extension's own ops live in <c>torch.ops</c>).</summary>
    public static readonly string[] PythonNonComputeNamespaces = ["torch.cuda", "torch.utils", "torch.library", "torch.types", "torch.autograd.Function"];

    /// <summary><c>torch.ops</c> namespaces that are torch's own operators rather than the candidate's (so are <c>torch.ops._*</c>).</summary>
    public static readonly string[] TorchOwnOperatorNamespaces = ["torch.ops.aten", "torch.ops.prims"];

    /// <summary><c>torch.nn</c> classes that hold parameters or structure and compute nothing when built.</summary>
    public static readonly FrozenSet<string> ParameterHolders = FrozenSet.Create(StringComparer.Ordinal,
        "Parameter", "ParameterList", "ParameterDict", "Module", "ModuleList", "ModuleDict", "Buffer");

    /// <summary><c>at::</c>/<c>torch::</c> functions in C++ extensions that allocate or describe tensors.</summary>
    public static readonly FrozenSet<string> CppNonCompute = FrozenSet.Create(StringComparer.Ordinal,
        "empty", "empty_like", "empty_strided", "zeros", "zeros_like", "ones", "ones_like", "full", "full_like", "from_blob",
        "tensor", "device", "dtype", "kCUDA", "kCPU");

    /// <summary>True when a resolved Python name is a torch call that computes.</summary>
    public static bool IsPythonCompute(string name)
    {
        if (!PythonPatterns.IsUnder(name, ["torch"]) || PythonNonCompute.Contains(name) || PythonPatterns.IsUnder(name, PythonNonComputeNamespaces))
        {
            return false;
        }

        if (PythonPatterns.IsUnder(name, ["torch.ops"]))
        {
            return name.StartsWith("torch.ops._", StringComparison.Ordinal) || PythonPatterns.IsUnder(name, TorchOwnOperatorNamespaces);
        }

        var parts = name.Split('.');
        return !(parts.Length == 3 && parts[1] == "nn" && ParameterHolders.Contains(parts[2]))
            && !(parts.Length == 2 && char.IsUpper(parts[1][0]) && parts[1].EndsWith("Tensor", StringComparison.Ordinal))
            && name != "torch" && name != "torch.nn";
    }
}
