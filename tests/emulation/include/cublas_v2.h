// A CPU stand-in for the few cuBLAS pieces the translator's library lowering calls (cublasGemmEx,
// cublasGemmStridedBatchedEx, the stream and math-mode getters and setters), so its output runs under the emulation
// harness like the own kernels do. TEST-ONLY: a plain triple loop in column-major order, exactly as cuBLAS defines the
// operation (C = alpha op(A) op(B) + beta C, leading dimensions, batch strides), fp32 products summed with fmaf.
//
// It also checks what the translator promises about precision: a GEMM is refused (CUBLAS_STATUS_NOT_SUPPORTED, so the
// entry returns 1115) unless its compute type is CUBLAS_COMPUTE_32F, its data float32 and the handle's math mode
// CUBLAS_DEFAULT_MATH or CUBLAS_PEDANTIC_MATH at the call. The handle the harness passes as ctx->cublas
// (kf_emu_cublas_handle) starts in CUBLAS_TF32_TENSOR_OP_MATH, as torch's does with allow_tf32 on, so a kernel that does
// not set the mode is caught, and kf_emu_cublas_math_mode lets the harness check that the mode was put back.
#ifndef KFORGE_CUBLAS_EMULATION_H
#define KFORGE_CUBLAS_EMULATION_H

#include <cmath>
#include <cstdint>
#include <cstdio>

#include "cuda_runtime.h"

typedef enum {
    CUBLAS_STATUS_SUCCESS = 0,
    CUBLAS_STATUS_NOT_INITIALIZED = 1,
    CUBLAS_STATUS_INVALID_VALUE = 7,
    CUBLAS_STATUS_NOT_SUPPORTED = 15,
} cublasStatus_t;

typedef enum { CUBLAS_OP_N = 0, CUBLAS_OP_T = 1, CUBLAS_OP_C = 2 } cublasOperation_t;

typedef enum {
    CUBLAS_DEFAULT_MATH = 0,
    CUBLAS_TENSOR_OP_MATH = 1,
    CUBLAS_PEDANTIC_MATH = 2,
    CUBLAS_TF32_TENSOR_OP_MATH = 3,
} cublasMath_t;

typedef enum { CUDA_R_32F = 0, CUDA_R_64F = 1, CUDA_R_16F = 2 } cudaDataType;

typedef enum { CUBLAS_COMPUTE_32F = 68, CUBLAS_COMPUTE_32F_FAST_TF32 = 77 } cublasComputeType_t;

typedef enum { CUBLAS_GEMM_DEFAULT = -1 } cublasGemmAlgo_t;

struct cublasContext {
    cudaStream_t stream;
    cublasMath_t mode;
    int gemm_calls;
};
typedef cublasContext* cublasHandle_t;

namespace kf_emu {

inline cublasContext cublas_context{nullptr, CUBLAS_TF32_TENSOR_OP_MATH, 0};

inline cublasStatus_t refuse(const char* what) {
    std::fprintf(stderr, "cuBLAS stand-in: refused a GEMM: %s\n", what);
    return CUBLAS_STATUS_NOT_SUPPORTED;
}

inline cublasStatus_t check_gemm(cublasHandle_t handle, cudaDataType a, cudaDataType b, cudaDataType c, cublasComputeType_t compute) {
    if (handle == nullptr) return CUBLAS_STATUS_NOT_INITIALIZED;
    if (compute != CUBLAS_COMPUTE_32F) return refuse("compute type is not CUBLAS_COMPUTE_32F");
    if (a != CUDA_R_32F || b != CUDA_R_32F || c != CUDA_R_32F) return refuse("data are not CUDA_R_32F");
    if (handle->mode != CUBLAS_DEFAULT_MATH && handle->mode != CUBLAS_PEDANTIC_MATH) return refuse("math mode allows TF32 or tensor-op math");
    return CUBLAS_STATUS_SUCCESS;
}

// One column-major GEMM: C[i + j ldc] = alpha sum_p op(A)[i, p] op(B)[p, j] + beta C[i + j ldc].
inline void gemm(cublasOperation_t ta, cublasOperation_t tb, int m, int n, int k, float alpha, const float* a, int lda,
                 const float* b, int ldb, float beta, float* c, int ldc) {
    for (int j = 0; j < n; ++j) {
        for (int i = 0; i < m; ++i) {
            float sum = 0.0f;
            for (int p = 0; p < k; ++p) {
                const float x = ta == CUBLAS_OP_N ? a[i + (int64_t)p * lda] : a[p + (int64_t)i * lda];
                const float y = tb == CUBLAS_OP_N ? b[p + (int64_t)j * ldb] : b[j + (int64_t)p * ldb];
                sum = std::fmaf(x, y, sum);
            }
            float* out = c + i + (int64_t)j * ldc;
            *out = beta == 0.0f ? alpha * sum : alpha * sum + beta * *out;  // beta 0: C is not read (it may be NaN)
        }
    }
}

}  // namespace kf_emu

inline cublasStatus_t cublasGetStream(cublasHandle_t handle, cudaStream_t* stream) {
    if (handle == nullptr) return CUBLAS_STATUS_NOT_INITIALIZED;
    *stream = handle->stream;
    return CUBLAS_STATUS_SUCCESS;
}

inline cublasStatus_t cublasGetMathMode(cublasHandle_t handle, cublasMath_t* mode) {
    if (handle == nullptr) return CUBLAS_STATUS_NOT_INITIALIZED;
    *mode = handle->mode;
    return CUBLAS_STATUS_SUCCESS;
}

inline cublasStatus_t cublasSetMathMode(cublasHandle_t handle, cublasMath_t mode) {
    if (handle == nullptr) return CUBLAS_STATUS_NOT_INITIALIZED;
    handle->mode = mode;
    return CUBLAS_STATUS_SUCCESS;
}

inline cublasStatus_t cublasGemmEx(cublasHandle_t handle, cublasOperation_t ta, cublasOperation_t tb, int m, int n, int k,
                                   const void* alpha, const void* a, cudaDataType a_type, int lda, const void* b,
                                   cudaDataType b_type, int ldb, const void* beta, void* c, cudaDataType c_type, int ldc,
                                   cublasComputeType_t compute, cublasGemmAlgo_t) {
    if (const cublasStatus_t status = kf_emu::check_gemm(handle, a_type, b_type, c_type, compute); status != CUBLAS_STATUS_SUCCESS) return status;
    handle->gemm_calls++;
    kf_emu::gemm(ta, tb, m, n, k, *static_cast<const float*>(alpha), static_cast<const float*>(a), lda,
                 static_cast<const float*>(b), ldb, *static_cast<const float*>(beta), static_cast<float*>(c), ldc);
    return CUBLAS_STATUS_SUCCESS;
}

inline cublasStatus_t cublasGemmStridedBatchedEx(cublasHandle_t handle, cublasOperation_t ta, cublasOperation_t tb, int m, int n,
                                                 int k, const void* alpha, const void* a, cudaDataType a_type, int lda,
                                                 long long stride_a, const void* b, cudaDataType b_type, int ldb,
                                                 long long stride_b, const void* beta, void* c, cudaDataType c_type, int ldc,
                                                 long long stride_c, int batch, cublasComputeType_t compute, cublasGemmAlgo_t) {
    if (const cublasStatus_t status = kf_emu::check_gemm(handle, a_type, b_type, c_type, compute); status != CUBLAS_STATUS_SUCCESS) return status;
    handle->gemm_calls++;
    for (int i = 0; i < batch; ++i) {
        kf_emu::gemm(ta, tb, m, n, k, *static_cast<const float*>(alpha), static_cast<const float*>(a) + i * stride_a, lda,
                     static_cast<const float*>(b) + i * stride_b, ldb, *static_cast<const float*>(beta),
                     static_cast<float*>(c) + i * stride_c, ldc);
    }
    return CUBLAS_STATUS_SUCCESS;
}

// For the harness (emulate.py's run_entry): the handle to pass as ctx->cublas, bound to the null stream the harness
// passes, and what happened to it.
extern "C" __attribute__((visibility("default"))) void* kf_emu_cublas_handle() { return &kf_emu::cublas_context; }
extern "C" __attribute__((visibility("default"))) int kf_emu_cublas_gemm_calls() { return kf_emu::cublas_context.gemm_calls; }
extern "C" __attribute__((visibility("default"))) int kf_emu_cublas_math_mode() { return kf_emu::cublas_context.mode; }

#endif
