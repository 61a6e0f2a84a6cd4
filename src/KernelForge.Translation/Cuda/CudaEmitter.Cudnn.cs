using System.Collections.Immutable;
using KernelForge.Translation.IR;
using static System.FormattableString;

namespace KernelForge.Translation.Cuda;

/// <summary>The library lowering of a <see cref="ConvolutionOp"/> (<see cref="Lowering.Library"/>): cuDNN computes the convolution, one kernel of ours finishes it.</summary>
/// <remarks>
/// <para>
/// A convolution is <c>cudnnConvolutionForward</c>; a transposed one is <c>cudnnConvolutionBackwardData</c> of the
/// convolution that maps its output back to its input (torch's conv_transpose weight [C_in, C_out / groups, taps] is that
/// convolution's filter, and the output's extents, output padding included, are given to cuDNN directly). 1-d
/// convolutions run as 2-d ones of height 1, since cuDNN's convolution descriptors take 4 or 5 dimensions. NCHW, fp32
/// data, cross-correlation (what torch computes), groups through <c>cudnnSetConvolutionGroupCount</c>.
/// </para>
/// <para>
/// Precision: the convolution descriptor starts at <c>CUDNN_DEFAULT_MATH</c>, under which cuDNN may run fp32 on TF32
/// tensor cores: what eager torch does for fp32 convolutions (<c>torch.backends.cudnn.allow_tf32</c> defaults to True; ATen
/// picks <c>CUDNN_FMA_MATH</c> only when it is off), so the <c>strict</c> policy, which measures error against eager float32's
/// own, accepts it (<see cref="MathMode"/>). Algorithms cuDNN proposes with <c>CUDNN_TENSOR_OP_MATH_ALLOW_CONVERSION</c>
/// (fp32 data converted to fp16) are skipped.
/// </para>
/// <para>
/// Algorithm: the first that cuDNN's heuristics (<c>cudnnGetConvolution*Algorithm_v7</c>) rate as supported and whose
/// workspace is at most 1 GiB, as eager torch picks without <c>cudnn.benchmark</c>. The descriptors and the choice depend
/// on shapes alone, which are constants here, so they are made on the first call into a <c>static const</c> plan that is
/// never changed and holds no data (cuDNN's heuristics cost far more host time than a launch, so they are not run per
/// call). The workspace comes from <c>ctx->workspace</c> on every call.
/// </para>
/// <para>
/// The file declares the dozen cuDNN functions it calls itself, weak, from NVIDIA's cuDNN API reference: it needs no
/// cudnn.h, so it builds on hosts without cuDNN (a build that cannot link cuDNN leaves them NULL), and the entry takes the
/// own kernel whenever <c>ctx->cudnn</c> or the library's functions are missing. Enums travel as <c>int</c>, their C ABI.
/// </para>
/// <para>
/// Epilogue: cuDNN writes the convolution into the result's memory and, when there is a bias or a fused elementwise
/// chain, one grid-stride kernel of ours applies both in place (one read and one write of the output), through the same
/// <c>_epilogue</c> function the own kernel calls.
/// </para>
/// </remarks>
public sealed partial class CudaEmitter
{
    /// <summary>The largest workspace a cuDNN algorithm may ask for and still be chosen (1 GiB).</summary>
    private const long CudnnMaxWorkspaceBytes = 1L << 30;

    private bool _usesCudnn;

    /// <summary>The cuDNN declarations every file that calls cuDNN carries (see the remarks).</summary>
    private static readonly ImmutableArray<string> CudnnDeclarations =
    [
        "// cuDNN's convolution API, declared from NVIDIA's cuDNN API reference so this file needs no cudnn.h: handles and",
        "// descriptors are opaque pointers, enums travel as int (their C ABI), status 0 is CUDNN_STATUS_SUCCESS. Weak: a build",
        "// that cannot link cuDNN leaves them NULL, and the entry then runs its own kernels.",
        "extern \"C\" {",
        "typedef struct cudnnContext* cudnnHandle_t;",
        "typedef struct cudnnTensorStruct* cudnnTensorDescriptor_t;",
        "typedef struct cudnnFilterStruct* cudnnFilterDescriptor_t;",
        "typedef struct cudnnConvolutionStruct* cudnnConvolutionDescriptor_t;",
        "// cudnnConvolutionFwdAlgoPerf_t and cudnnConvolutionBwdDataAlgoPerf_t share this layout.",
        "typedef struct { int algo; int status; float time; size_t memory; int determinism; int mathType; int reserved[3]; } kf_cudnn_algo_perf;",
        "int cudnnGetStream(cudnnHandle_t, cudaStream_t*) __attribute__((weak));",
        "int cudnnCreateTensorDescriptor(cudnnTensorDescriptor_t*) __attribute__((weak));",
        "int cudnnSetTensorNdDescriptor(cudnnTensorDescriptor_t, int data_type, int dims, const int* extents, const int* strides) __attribute__((weak));",
        "int cudnnCreateFilterDescriptor(cudnnFilterDescriptor_t*) __attribute__((weak));",
        "int cudnnSetFilterNdDescriptor(cudnnFilterDescriptor_t, int data_type, int format, int dims, const int* extents) __attribute__((weak));",
        "int cudnnCreateConvolutionDescriptor(cudnnConvolutionDescriptor_t*) __attribute__((weak));",
        "int cudnnSetConvolutionNdDescriptor(cudnnConvolutionDescriptor_t, int spatial_dims, const int* padding, const int* stride, const int* dilation, int mode, int compute_type) __attribute__((weak));",
        "int cudnnSetConvolutionGroupCount(cudnnConvolutionDescriptor_t, int groups) __attribute__((weak));",
        "int cudnnSetConvolutionMathType(cudnnConvolutionDescriptor_t, int math_type) __attribute__((weak));",
        "int cudnnGetConvolutionForwardAlgorithm_v7(cudnnHandle_t, cudnnTensorDescriptor_t x, cudnnFilterDescriptor_t w, cudnnConvolutionDescriptor_t, cudnnTensorDescriptor_t y, int requested, int* returned, kf_cudnn_algo_perf*) __attribute__((weak));",
        "int cudnnGetConvolutionForwardWorkspaceSize(cudnnHandle_t, cudnnTensorDescriptor_t x, cudnnFilterDescriptor_t w, cudnnConvolutionDescriptor_t, cudnnTensorDescriptor_t y, int algo, size_t* bytes) __attribute__((weak));",
        "int cudnnConvolutionForward(cudnnHandle_t, const void* alpha, cudnnTensorDescriptor_t, const void* x, cudnnFilterDescriptor_t, const void* w, cudnnConvolutionDescriptor_t, int algo, void* workspace, size_t workspace_bytes, const void* beta, cudnnTensorDescriptor_t, void* y) __attribute__((weak));",
        "int cudnnGetConvolutionBackwardDataAlgorithm_v7(cudnnHandle_t, cudnnFilterDescriptor_t w, cudnnTensorDescriptor_t dy, cudnnConvolutionDescriptor_t, cudnnTensorDescriptor_t dx, int requested, int* returned, kf_cudnn_algo_perf*) __attribute__((weak));",
        "int cudnnGetConvolutionBackwardDataWorkspaceSize(cudnnHandle_t, cudnnFilterDescriptor_t w, cudnnTensorDescriptor_t dy, cudnnConvolutionDescriptor_t, cudnnTensorDescriptor_t dx, int algo, size_t* bytes) __attribute__((weak));",
        "int cudnnConvolutionBackwardData(cudnnHandle_t, const void* alpha, cudnnFilterDescriptor_t, const void* w, cudnnTensorDescriptor_t, const void* dy, cudnnConvolutionDescriptor_t, int algo, void* workspace, size_t workspace_bytes, const void* beta, cudnnTensorDescriptor_t, void* dx) __attribute__((weak));",
        "}",
    ];

    /// <summary>
    /// Writes the cuDNN call and, when needed, the finishing kernel of <paramref name="operation"/>, and the entry lines that
    /// pick them or <paramref name="ownLaunch"/>; returns the strategy text. <paramref name="name"/> is the own kernel's name.
    /// </summary>
    private string EmitCudnnConvolution(ConvolutionOp operation, ConvolutionGeometry g, string name, FusedCode epilogue, string ownLaunch, string ownStrategy)
    {
        var input = _values[operation.Input].Shape;
        var weight = _values[operation.Weight].Shape;
        var output = operation.Result.Shape;
        if (new[] { input.ElementCount, weight.ElementCount, output.ElementCount }.Any(count => count > int.MaxValue))
        {
            _entryLines.Add(ownLaunch);
            return ownStrategy + "; not cuDNN: a tensor has 2^31 or more elements, beyond the int strides of cuDNN's descriptors";
        }

        _usesCudnn = true;
        // 1-d runs as 2-d of height 1: cuDNN's convolution descriptors take 2 or 3 spatial dimensions.
        var lift = g.Rank == 1 ? 1 : 0;
        long[] Spatial(IEnumerable<long> values, long lifted) => [.. Enumerable.Repeat(lifted, lift), .. values];
        Shape Full(Shape shape) => Shape.Of([shape[0], shape[1], .. Spatial(shape.Extents[2..], 1)]);
        var (inputExtents, filterExtents, outputExtents) = (Full(input), Full(weight), Full(output));
        var (padding, stride, dilation) = (Spatial(operation.Padding, 0), Spatial(operation.Stride, 1), Spatial(operation.Dilation, 1));
        var dims = inputExtents.Rank;
        var call = operation.Transposed ? "cudnnConvolutionBackwardData" : "cudnnConvolutionForward";
        var heuristics = operation.Transposed ? "cudnnGetConvolutionBackwardDataAlgorithm_v7(handle, plan.w, plan.in, plan.conv, plan.out" : "cudnnGetConvolutionForwardAlgorithm_v7(handle, plan.in, plan.w, plan.conv, plan.out";
        var workspaceSize = operation.Transposed ? "cudnnGetConvolutionBackwardDataWorkspaceSize(handle, plan.w, plan.in, plan.conv, plan.out" : "cudnnGetConvolutionForwardWorkspaceSize(handle, plan.in, plan.w, plan.conv, plan.out";

        var w = _kernels;
        w.Line($"// {name} on cuDNN: {call} ({(operation.Transposed ? "a transposed convolution is the data gradient of the convolution from its output to its input" : "cross-correlation")}), NCHW fp32,");
        w.Line("// default math (TF32 tensor cores allowed, as eager torch's fp32 convolutions). Descriptors and the algorithm (cuDNN's");
        w.Line("// heuristics: the first supported one with at most 1 GiB of workspace) depend on shapes alone: made on the first call, kept.");
        w.Line($"struct {name}_cudnn_plan {{ int status; cudnnTensorDescriptor_t in, out; cudnnFilterDescriptor_t w; cudnnConvolutionDescriptor_t conv; int algo; size_t workspace_bytes; }};");
        w.Open($"{name}_cudnn_plan {name}_cudnn_prepare(cudnnHandle_t handle)");
        w.Line($"static const int kIn[{dims}] = {{{Join(inputExtents.Extents)}}}, kInStrides[{dims}] = {{{Join(Strides(inputExtents))}}};");
        w.Line($"static const int kOut[{dims}] = {{{Join(outputExtents.Extents)}}}, kOutStrides[{dims}] = {{{Join(Strides(outputExtents))}}};");
        w.Line($"static const int kFilter[{dims}] = {{{Join(filterExtents.Extents)}}};");
        w.Line($"static const int kPadding[{dims - 2}] = {{{Join(padding)}}}, kStride[{dims - 2}] = {{{Join(stride)}}}, kDilation[{dims - 2}] = {{{Join(dilation)}}};");
        w.Line($"{name}_cudnn_plan plan = {{}};");
        w.Line("int status = cudnnCreateTensorDescriptor(&plan.in);");
        w.Line($"if (status == 0) status = cudnnSetTensorNdDescriptor(plan.in, 0 /* CUDNN_DATA_FLOAT */, {dims}, kIn, kInStrides);");
        w.Line("if (status == 0) status = cudnnCreateTensorDescriptor(&plan.out);");
        w.Line($"if (status == 0) status = cudnnSetTensorNdDescriptor(plan.out, 0, {dims}, kOut, kOutStrides);");
        w.Line("if (status == 0) status = cudnnCreateFilterDescriptor(&plan.w);");
        w.Line($"if (status == 0) status = cudnnSetFilterNdDescriptor(plan.w, 0, 0 /* CUDNN_TENSOR_NCHW */, {dims}, kFilter);");
        w.Line("if (status == 0) status = cudnnCreateConvolutionDescriptor(&plan.conv);");
        w.Line($"if (status == 0) status = cudnnSetConvolutionNdDescriptor(plan.conv, {dims - 2}, kPadding, kStride, kDilation, 1 /* CUDNN_CROSS_CORRELATION */, 0 /* fp32 compute */);");
        w.Line($"if (status == 0) status = cudnnSetConvolutionGroupCount(plan.conv, {g.Groups});");
        w.Line("if (status == 0) status = cudnnSetConvolutionMathType(plan.conv, 0 /* CUDNN_DEFAULT_MATH */);");
        w.Line("kf_cudnn_algo_perf perf[16];");
        w.Line("int found = 0;");
        w.Line($"if (status == 0) status = {heuristics}, 16, &found, perf);");
        w.Open("if (status != 0)");
        w.Line("plan.status = 10000 + status;");
        w.Line("return plan;");
        w.Close();
        w.Line("plan.algo = -1;");
        w.Open("for (int i = 0; i < found && plan.algo < 0; ++i)");
        w.Line($"if (perf[i].status != 0 || perf[i].memory > {CudnnMaxWorkspaceBytes}ULL || perf[i].mathType == 2 /* ALLOW_CONVERSION: fp16 */) continue;");
        w.Line("size_t bytes = 0;");
        w.Line("if (cudnnSetConvolutionMathType(plan.conv, perf[i].mathType) != 0) continue;");
        w.Line($"if ({workspaceSize}, perf[i].algo, &bytes) != 0 || bytes > {CudnnMaxWorkspaceBytes}ULL) continue;");
        w.Line("plan.algo = perf[i].algo;");
        w.Line("plan.workspace_bytes = bytes;");
        w.Close();
        w.Line("plan.status = plan.algo < 0 ? 1005 : 0;");
        w.Line("return plan;");
        w.Close();
        w.Line();
        w.Open($"int {name}_cudnn(cudnnHandle_t handle, kf_context* ctx, const float* x, const float* wt, float* y, cudaStream_t stream)");
        w.Line("cudaStream_t bound = nullptr;");
        w.Line("if (cudnnGetStream(handle, &bound) != 0 || bound != stream) return 1004;");
        w.Line("// Made once, on the first call, and never changed: descriptors and the algorithm, no data.");
        w.Line($"static const {name}_cudnn_plan plan = {name}_cudnn_prepare(handle);");
        w.Line("if (plan.status != 0) return plan.status;");
        w.Line("void* workspace = plan.workspace_bytes == 0 ? nullptr : ctx->workspace(ctx, plan.workspace_bytes);");
        w.Line("if (plan.workspace_bytes != 0 && workspace == nullptr) return 1003;");
        w.Line("const float one = 1.0f, zero = 0.0f;");
        w.Line(operation.Transposed
            ? "const int status = cudnnConvolutionBackwardData(handle, &one, plan.w, wt, plan.in, x, plan.conv, plan.algo, workspace, plan.workspace_bytes, &zero, plan.out, y);"
            : "const int status = cudnnConvolutionForward(handle, &one, plan.in, x, plan.w, wt, plan.conv, plan.algo, workspace, plan.workspace_bytes, &zero, plan.out, y);");
        w.Line("return status == 0 ? 0 : 10000 + status;");
        w.Close();
        w.Line();

        var finish = new LibraryFinish(operation, operation.Bias, operation.Epilogue, "y", "cuDNN's output", [], Invariant($"(o / {g.OutputPixels}) % {g.OutputChannels}"));
        var finishLaunch = finish.Needed ? WriteFinishKernel(name, finish, epilogue) : null;
        var (x, weights, y) = (Pointers(operation.Input)[0], Pointers(operation.Weight)[0], Pointers(operation.Result.Name)[0]);
        AddLibraryOrOwn($"ctx != nullptr && ctx->cudnn != nullptr && {call} != nullptr", $"{name}_cudnn(static_cast<cudnnHandle_t>(ctx->cudnn), ctx, {x}, {weights}, {y}, stream)", finishLaunch, ownLaunch);

        return $"cuDNN {call}{(g.Groups > 1 ? Invariant($" ({g.Groups} groups)") : "")}, algorithm by cuDNN's heuristics, default math (TF32 tensor cores allowed, as eager's fp32 convolutions){finish.Describe(name)}; {name} ({ownStrategy}) runs instead when ctx->cudnn is NULL";
    }

    private static string Join(IEnumerable<long> values) => string.Join(", ", values.Select(CudaLiteral.Format));

    /// <summary>Row-major strides, in elements, of a packed tensor of <paramref name="shape"/>.</summary>
    private static IEnumerable<long> Strides(Shape shape) => Enumerable.Range(0, shape.Rank).Select(shape.Stride);
}
