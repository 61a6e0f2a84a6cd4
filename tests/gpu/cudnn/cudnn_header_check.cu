// Compiled only where NVIDIA's cudnn.h exists (a GPU host with torch's cuDNN): checks that the declarations KernelForge
// writes into generated kernels (no cudnn.h there) agree with the real header's enum values and struct layout.
#include <cudnn.h>
#include <cstddef>
#include <cstdio>
typedef struct { int algo; int status; float time; size_t memory; int determinism; int mathType; int reserved[3]; } kf_cudnn_algo_perf;
static_assert(sizeof(kf_cudnn_algo_perf) == sizeof(cudnnConvolutionFwdAlgoPerf_t), "forward perf struct size");
static_assert(offsetof(kf_cudnn_algo_perf, memory) == offsetof(cudnnConvolutionFwdAlgoPerf_t, memory), "memory offset");
static_assert(offsetof(kf_cudnn_algo_perf, mathType) == offsetof(cudnnConvolutionFwdAlgoPerf_t, mathType), "mathType offset");
static_assert(sizeof(kf_cudnn_algo_perf) == sizeof(cudnnConvolutionBwdDataAlgoPerf_t), "backward-data perf struct size");
static_assert(offsetof(kf_cudnn_algo_perf, memory) == offsetof(cudnnConvolutionBwdDataAlgoPerf_t, memory), "bwd memory offset");
static_assert(CUDNN_STATUS_SUCCESS == 0 && CUDNN_DATA_FLOAT == 0 && CUDNN_DATA_HALF == 2 && CUDNN_DATA_BFLOAT16 == 9, "data types");
static_assert(CUDNN_TENSOR_NCHW == 0 && CUDNN_CROSS_CORRELATION == 1, "format and mode");
static_assert(CUDNN_DEFAULT_MATH == 0 && CUDNN_TENSOR_OP_MATH == 1 && CUDNN_FMA_MATH == 3, "math types");
int main() { std::printf("cudnn.h %d.%d.%d agrees with kforge's declarations\n", CUDNN_MAJOR, CUDNN_MINOR, CUDNN_PATCHLEVEL); return 0; }
