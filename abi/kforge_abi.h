// KernelForge ABI, version 1: the contract between a candidate .cu file and the ABI runner.
//
// A candidate includes this header (and no torch header), and defines exactly one entry point:
//
//   KFORGE_ENTRY(const kf_tensor* inputs, int num_inputs, kf_tensor* outputs, int num_outputs,
//                cudaStream_t stream, kf_context* ctx) { ... return 0; }
//
// Contract:
// - inputs are the problem's get_inputs() tensors, then the model's parameters, then its buffers, in that
//   order; outputs are the forward()'s results. All live on the device, were allocated by the harness, and are
//   contiguous (strides are given in elements anyway). Inputs must not be written.
// - every launch goes on `stream`. The call may return before the work finishes; the harness synchronizes.
// - workspace memory comes from ctx->workspace(ctx, bytes): valid until the entry returns its stream's work
//   is done; never cudaMalloc inside the entry (it synchronizes the device and leaks across calls).
// - return 0 on success, or a non-zero code (a cudaError_t is fine) that the harness reports.
#ifndef KFORGE_ABI_H
#define KFORGE_ABI_H

#include <cuda_runtime.h>
#include <stddef.h>
#include <stdint.h>

#define KFORGE_ABI_VERSION 1
#define KF_MAX_DIMS 8

// Element types; values equal KernelForge.Core.DataType.
typedef enum kf_dtype {
    KF_FLOAT32 = 0,
    KF_FLOAT64 = 1,
    KF_FLOAT16 = 2,
    KF_BFLOAT16 = 3,
    KF_INT32 = 4,
    KF_INT64 = 5,
    KF_BOOL = 6,
    KF_INT8 = 7,
    KF_UINT8 = 8
} kf_dtype;

typedef struct kf_tensor {
    void* data;                     // device pointer
    int32_t dtype;                  // a kf_dtype
    int32_t ndim;                   // 0..KF_MAX_DIMS
    int64_t shape[KF_MAX_DIMS];     // extents; unused entries are 1
    int64_t strides[KF_MAX_DIMS];   // in elements, not bytes
} kf_tensor;

typedef struct kf_context kf_context;
struct kf_context {
    int32_t abi_version;            // KFORGE_ABI_VERSION of the harness
    int32_t device;                 // CUDA device ordinal
    // Device memory for the duration of the call; NULL when the request cannot be met.
    void* (*workspace)(kf_context* ctx, size_t bytes);
    // cublasHandle_t bound to `stream` when the library policy allows libraries, else NULL.
    void* cublas;
    void* harness;                  // opaque, for the harness
    // cudnnHandle_t bound to `stream` when the library policy allows libraries and the candidate calls cuDNN, else NULL
    // (also NULL on a host without cuDNN: a kernel that declares cuDNN's functions weak then runs its own kernel).
    void* cudnn;
};

#ifdef __cplusplus
#define KF_EXTERN_C extern "C"
#else
#define KF_EXTERN_C
#endif

#define KFORGE_ENTRY_NAME "kforge_entry"

#define KFORGE_ENTRY \
    KF_EXTERN_C __attribute__((visibility("default"))) int kforge_abi_version(void) { return KFORGE_ABI_VERSION; } \
    KF_EXTERN_C __attribute__((visibility("default"))) int kforge_entry

// Number of elements of a tensor.
static inline __attribute__((unused)) int64_t kf_numel(const kf_tensor* t) {
    int64_t n = 1;
    for (int i = 0; i < t->ndim; ++i) n *= t->shape[i];
    return n;
}

#endif
