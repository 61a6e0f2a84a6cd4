using System.Runtime.InteropServices;
using KernelForge.Core;

namespace KernelForge.Evaluation.Runner;

/// <summary>The ABI's <c>kf_tensor</c> (abi/kforge_abi.h), field for field: 8 + 4 + 4 + 64 + 64 = 144 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct KfTensor
{
    /// <summary><c>KF_MAX_DIMS</c>.</summary>
    public const int MaxDimensions = 8;

    /// <summary><c>void* data</c>: device pointer.</summary>
    public void* Data;

    /// <summary><c>int32_t dtype</c>: a <c>kf_dtype</c>, equal to <see cref="Core.DataType"/>.</summary>
    public int DataType;

    /// <summary><c>int32_t ndim</c>.</summary>
    public int DimensionCount;

    /// <summary><c>int64_t shape[8]</c>; unused entries are 1.</summary>
    public fixed long Shape[MaxDimensions];

    /// <summary><c>int64_t strides[8]</c>, in elements; unused entries are 1.</summary>
    public fixed long Strides[MaxDimensions];

    /// <summary>A contiguous (C-order) tensor of <paramref name="spec"/>'s shape at <paramref name="data"/>.</summary>
    public static KfTensor Contiguous(nint data, TensorSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Shape.Count > MaxDimensions)
        {
            throw new ArgumentException($"Tensor '{spec.Name}' has {spec.Shape.Count} dimensions; the ABI allows at most {MaxDimensions}.", nameof(spec));
        }

        var tensor = new KfTensor { Data = (void*)data, DataType = (int)spec.DataType, DimensionCount = spec.Shape.Count };
        for (var i = 0; i < MaxDimensions; i++)
        {
            tensor.Shape[i] = 1;
            tensor.Strides[i] = 1;
        }

        var stride = 1L;
        for (var i = spec.Shape.Count - 1; i >= 0; i--)
        {
            tensor.Shape[i] = spec.Shape[i];
            tensor.Strides[i] = stride;
            stride *= Math.Max(spec.Shape[i], 1);
        }

        return tensor;
    }
}
