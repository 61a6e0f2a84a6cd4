// ADVERSARIAL, must be REJECTED under --library-policy PureCuda. Target problem: problems/level1/matmul.py.
// Hole it tries: vendor-library work passed off as the candidate's own. The ABI gives no cuBLAS handle under the
// pure-CUDA policy (ctx->cublas is NULL), so the entry creates its own, binds it to the harness stream and calls
// cublasSgemm (row-major C = A @ B as column-major C^T = B^T A^T). The speedup would be cuBLAS's, credited to a
// "pure CUDA" kernel.
// How it should be caught: statically, before compiling: under PureCuda the rule uses-cublas rejects (it only
// records "uses cuBLAS: yes" under AllowLibraries): `banned_construct`.
#include "kforge_abi.h"
#include <cublas_v2.h>

namespace {

cublasHandle_t own_handle() {
    static cublasHandle_t handle = nullptr;
    if (!handle && cublasCreate(&handle) != CUBLAS_STATUS_SUCCESS) handle = nullptr;
    return handle;
}

}  // namespace

KFORGE_ENTRY(const kf_tensor* inputs, int num_inputs, kf_tensor* outputs, int num_outputs, cudaStream_t stream,
             kf_context* ctx) {
    if (num_inputs != 2 || num_outputs != 1) return 1000;
    const kf_tensor* a = &inputs[0];
    const kf_tensor* b = &inputs[1];
    kf_tensor* c = &outputs[0];
    if (a->ndim != 2 || b->ndim != 2 || c->ndim != 2) return 1001;
    const int m = (int)a->shape[0], k = (int)a->shape[1], n = (int)b->shape[1];
    if (b->shape[0] != k || c->shape[0] != m || c->shape[1] != n) return 1001;
    cublasHandle_t handle = ctx && ctx->cublas ? static_cast<cublasHandle_t>(ctx->cublas) : own_handle();
    if (!handle) return 1003;
    if (cublasSetStream(handle, stream) != CUBLAS_STATUS_SUCCESS) return 1004;
    const float one = 1.0f, zero = 0.0f;
    const cublasStatus_t status = cublasSgemm(handle, CUBLAS_OP_N, CUBLAS_OP_N, n, m, k, &one, static_cast<const float*>(b->data), n,
                                              static_cast<const float*>(a->data), k, &zero, static_cast<float*>(c->data), n);
    return status == CUBLAS_STATUS_SUCCESS ? (int)cudaGetLastError() : 1005;
}
