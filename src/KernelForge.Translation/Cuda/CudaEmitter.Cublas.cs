using KernelForge.Translation.IR;
using static System.FormattableString;

namespace KernelForge.Translation.Cuda;

/// <summary>The library lowering of a <see cref="MatmulOp"/> (<see cref="Lowering.Library"/>): cuBLAS computes the product, one kernel of ours finishes it.</summary>
/// <remarks>
/// <para>
/// Row-major <c>C[M, N] = A[M, K] @ B[K, N]</c> is, read column-major, <c>C^T = B^T @ A^T</c>: cuBLAS's first operand is
/// our B and its second our A, with <c>m = N</c>, <c>n = M</c>, and every leading dimension the row length of the
/// stored matrix. An operand the IR reads transposed is passed with <c>CUBLAS_OP_T</c>. Batched products use
/// <c>cublasGemmStridedBatchedEx</c> over the contiguous batch, 2-D ones <c>cublasGemmEx</c>.
/// </para>
/// <para>
/// Precision: <c>CUBLAS_COMPUTE_32F</c> under <c>CUBLAS_DEFAULT_MATH</c>, set explicitly on every call: full fp32
/// arithmetic, never TF32 (which <c>CUBLAS_TF32_TENSOR_OP_MATH</c> or <c>CUBLAS_COMPUTE_32F_FAST_TF32</c> would allow) and
/// no other reduced-precision mode, i.e. what torch's fp32 matmul does with <c>allow_tf32</c> off, so the <c>strict</c>
/// precision policy holds. <c>CUBLAS_PEDANTIC_MATH</c> would add nothing for fp32 compute and is meant for testing, not
/// speed. The handle may be shared (a torch extension passes torch's own), so its previous math mode is put back.
/// </para>
/// <para>
/// Epilogue: cuBLAS writes the product into the result's memory and, when there is a bias or a fused elementwise chain,
/// one grid-stride kernel of ours applies both in place (one read and one write of C), through the same
/// <c>_epilogue</c> function the own kernel calls. The bias is not passed as cuBLAS's <c>C</c> with <c>beta = 1</c>:
/// cuBLAS reads and writes the same <c>C</c>, so a broadcast bias would first need copying there, which costs the same pass.
/// cuBLASLt's fused epilogues (bias, ReLU, GELU) would save that pass for those chains only; not used yet.
/// </para>
/// <para>
/// When <c>ctx</c> or <c>ctx->cublas</c> is NULL the entry launches the own tiled kernel instead (it is in the file
/// either way), so the candidate stays correct under a harness that offers no handle; a handle bound to a stream other
/// than the harness's returns 1004, a failed cuBLAS call 1100 + its status.
/// </para>
/// </remarks>
public sealed partial class CudaEmitter
{
    /// <summary>
    /// Writes the cuBLAS call and, when needed, the finishing kernel of <paramref name="operation"/>, and the entry lines that
    /// pick them or <paramref name="ownLaunch"/>; returns the strategy text. <paramref name="name"/> is the own kernel's name.
    /// </summary>
    private string EmitCublasMatmul(MatmulOp operation, string name, (long Batch, long M, long K, long N) size, FusedCode epilogue, string ownLaunch, string ownStrategy)
    {
        var (batch, m, k, n) = size;
        if (new[] { m, n, k, batch }.Any(extent => extent > int.MaxValue))
        {
            _entryLines.Add(ownLaunch);
            return ownStrategy + "; not cuBLAS: an extent exceeds the 2^31 - 1 its int arguments allow";
        }

        _usesCublas = true;
        var (transposeA, transposeB) = (operation.TransposeRight, operation.TransposeLeft);
        var (lda, ldb) = (transposeA ? k : n, transposeB ? m : k);
        var w = _kernels;
        w.Line($"// {name} on cuBLAS: row-major C [{(batch > 1 ? Invariant($"{batch}, ") : "")}{m}, {n}] = A @ B is column-major C^T = B^T A^T, so cuBLAS's first");
        w.Line("// operand is B and its second A. CUBLAS_COMPUTE_32F under CUBLAS_DEFAULT_MATH: full fp32, never TF32; the handle's");
        w.Line("// math mode is put back after the call (it may be shared).");
        w.Open($"int gemm_{name}(cublasHandle_t handle, const float* a, const float* b, float* c, cudaStream_t stream)");
        w.Line("cudaStream_t bound = nullptr;");
        w.Line("if (cublasGetStream(handle, &bound) != CUBLAS_STATUS_SUCCESS || bound != stream) return 1004;");
        w.Line("cublasMath_t mode = CUBLAS_DEFAULT_MATH;");
        w.Line("cublasStatus_t status = cublasGetMathMode(handle, &mode);");
        w.Line("if (status == CUBLAS_STATUS_SUCCESS) status = cublasSetMathMode(handle, CUBLAS_DEFAULT_MATH);");
        w.Line("if (status != CUBLAS_STATUS_SUCCESS) return 1100 + (int)status;");
        w.Line("const float alpha = 1.0f, beta = 0.0f;");
        var operations = $"{(transposeA ? "CUBLAS_OP_T" : "CUBLAS_OP_N")}, {(transposeB ? "CUBLAS_OP_T" : "CUBLAS_OP_N")}";
        if (batch > 1)
        {
            w.Line($"status = cublasGemmStridedBatchedEx(handle, {operations}, {n}, {m}, {k}, &alpha, b, CUDA_R_32F, {lda}, {k * n}LL, a, CUDA_R_32F, {ldb}, {m * k}LL,");
            w.Line($"                                    &beta, c, CUDA_R_32F, {n}, {m * n}LL, {batch}, CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT);");
        }
        else
        {
            w.Line($"status = cublasGemmEx(handle, {operations}, {n}, {m}, {k}, &alpha, b, CUDA_R_32F, {lda}, a, CUDA_R_32F, {ldb},");
            w.Line($"                      &beta, c, CUDA_R_32F, {n}, CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT);");
        }

        w.Line("const cublasStatus_t restored = cublasSetMathMode(handle, mode);");
        w.Line("if (status == CUBLAS_STATUS_SUCCESS) status = restored;");
        w.Line("return status == CUBLAS_STATUS_SUCCESS ? 0 : 1100 + (int)status;");
        w.Close();
        w.Line();

        var finish = MatmulFinish(operation, n);
        var finishLaunch = finish.Needed ? WriteFinishKernel(name, finish, epilogue) : null;
        var (a, b, c) = (Pointers(operation.Left)[0], Pointers(operation.Right)[0], Pointers(operation.Result.Name)[0]);
        AddLibraryOrOwn("ctx != nullptr && ctx->cublas != nullptr", $"gemm_{name}(static_cast<cublasHandle_t>(ctx->cublas), {a}, {b}, {c}, stream)", finishLaunch, ownLaunch);

        var call = batch > 1 ? Invariant($"cublasGemmStridedBatchedEx ({batch} x {m} x {n}, K = {k})") : Invariant($"cublasGemmEx ({m} x {n}, K = {k})");
        var operands = (operation.TransposeLeft, operation.TransposeRight) switch
        {
            (true, true) => ", both operands transposed",
            (true, false) => ", A transposed",
            (false, true) => ", B transposed",
            _ => "",
        };
        return $"cuBLAS {call}, CUBLAS_COMPUTE_32F, default math (fp32, no TF32){operands}{finish.Describe(name)}; {name} (own tiled SGEMM) runs instead when ctx->cublas is NULL";
    }

    /// <summary>How cuBLAS's product <c>c</c> of <paramref name="operation"/> is finished: a bias broadcast to [M, N] (<paramref name="columns"/> = N) is indexed by row and column.</summary>
    private LibraryFinish MatmulFinish(MatmulOp operation, long columns)
    {
        var bias = operation.Bias is null ? "0" : BiasIndex(_values[operation.Bias].Shape);
        List<string> indexLines = [];
        if (bias.Contains("row", StringComparison.Ordinal))
        {
            indexLines.Add($"const int64_t row = o / {columns};");
        }

        if (bias.Contains("col", StringComparison.Ordinal))
        {
            indexLines.Add($"const int64_t col = o % {columns};");
        }

        return new LibraryFinish(operation, operation.Bias, operation.Epilogue, "c", "cuBLAS's product", indexLines, bias);
    }
}
