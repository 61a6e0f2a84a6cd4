// A CPU stand-in for the cuDNN calls of the translator's convolution lowering (CudaEmitter.Cudnn.cs), so that its
// output runs under the emulation harness like the own kernels do. TEST-ONLY. Included at the end of a translated file
// that calls cuDNN (emulate.py), it defines the functions that file declares weak, with the same C signatures (enums as
// int), and computes what cuDNN defines: NCHW cross-correlation with groups, padding, stride and dilation
// (cudnnConvolutionForward), and its data gradient (cudnnConvolutionBackwardData), as plain loops summed in double.
//
// It also checks what the lowering promises: descriptors of fp32 NCHW data with 4 or 5 dimensions, an output whose
// extents are the forward formula's, cross-correlation with fp32 compute, the workspace it asked for, and an algorithm
// that is not one proposed with CUDNN_TENSOR_OP_MATH_ALLOW_CONVERSION: its heuristics list such an algorithm first
// (algo 7), which the lowering must skip. A refused call returns 2000 (CUDNN_STATUS_BAD_PARAM in cuDNN 9).
#ifndef KFORGE_CUDNN_STANDIN_H
#define KFORGE_CUDNN_STANDIN_H

#include <cstdio>
#include <cstring>
#include <vector>

struct cudnnContext { cudaStream_t stream; int calls; };
struct cudnnTensorStruct { int dims; int extents[8]; int strides[8]; };
struct cudnnFilterStruct { int dims; int extents[8]; };
struct cudnnConvolutionStruct { int spatial; int padding[3]; int stride[3]; int dilation[3]; int groups; int math; };

namespace kf_emu {

inline cudnnContext cudnn_context{nullptr, 0};
constexpr size_t kCudnnWorkspaceBytes = 4096;
constexpr int kConversionAlgo = 7, kAlgo = 1;

inline int cudnn_refuse(const char* what) {
    std::fprintf(stderr, "cuDNN stand-in: refused: %s\n", what);
    return 2000;
}

inline long long cudnn_count(const cudnnTensorStruct* t) {
    long long n = 1;
    for (int d = 0; d < t->dims; ++d) n *= t->extents[d];
    return n;
}

// Checks that `y` is the forward convolution of `x` by `w` under `c`; "" when it is.
inline const char* cudnn_check_shapes(const cudnnTensorStruct* x, const cudnnFilterStruct* w, const cudnnConvolutionStruct* c, const cudnnTensorStruct* y) {
    if (x->dims != y->dims || x->dims != w->dims || x->dims != c->spatial + 2) return "descriptors of different ranks";
    if (x->extents[1] != w->extents[1] * c->groups) return "input channels are not filter channels x groups";
    if (y->extents[1] != w->extents[0] || y->extents[0] != x->extents[0]) return "output batch or channels do not match the filter";
    if (w->extents[0] % c->groups != 0) return "filter count not divisible by groups";
    for (int d = 0; d < c->spatial; ++d) {
        const int effective = c->dilation[d] * (w->extents[d + 2] - 1) + 1;
        if (y->extents[d + 2] != (x->extents[d + 2] + 2 * c->padding[d] - effective) / c->stride[d] + 1) return "output extent is not the forward formula's";
    }
    for (const auto* t : {x, y}) {
        long long below = 1;
        for (int d = t->dims - 1; d >= 0; --d) {
            if (t->strides[d] != below) return "a tensor is not packed NCHW";
            below *= t->extents[d];
        }
    }
    return "";
}

// Calls `visit(x_index, w_index, y_index)` for every product term of the forward convolution x (*) w -> y.
template <class Visit>
void cudnn_for_each_term(const cudnnTensorStruct* x, const cudnnFilterStruct* w, const cudnnConvolutionStruct* c, const cudnnTensorStruct* y, Visit visit) {
    const int spatial = c->spatial, groups = c->groups;
    const int k_total = w->extents[0], c_group = w->extents[1], k_group = k_total / groups;
    long long out_pixels = 1, taps = 1, in_pixels = 1;
    for (int d = 0; d < spatial; ++d) {
        out_pixels *= y->extents[d + 2];
        taps *= w->extents[d + 2];
        in_pixels *= x->extents[d + 2];
    }
    for (int n = 0; n < x->extents[0]; ++n)
        for (int k = 0; k < k_total; ++k)
            for (long long o = 0; o < out_pixels; ++o) {
                int oc[3] = {0, 0, 0};
                long long rest = o;
                for (int d = spatial - 1; d >= 0; --d) { oc[d] = (int)(rest % y->extents[d + 2]); rest /= y->extents[d + 2]; }
                const long long y_index = ((long long)n * k_total + k) * out_pixels + o;
                const int g = k / k_group;
                for (int ci = 0; ci < c_group; ++ci)
                    for (long long t = 0; t < taps; ++t) {
                        int tc[3] = {0, 0, 0};
                        long long r = t;
                        for (int d = spatial - 1; d >= 0; --d) { tc[d] = (int)(r % w->extents[d + 2]); r /= w->extents[d + 2]; }
                        long long in = 0;
                        bool inside = true;
                        for (int d = 0; d < spatial; ++d) {
                            const int i = oc[d] * c->stride[d] - c->padding[d] + tc[d] * c->dilation[d];
                            if (i < 0 || i >= x->extents[d + 2]) { inside = false; break; }
                            in = in * x->extents[d + 2] + i;
                        }
                        if (!inside) continue;
                        const long long x_index = ((long long)n * x->extents[1] + (long long)g * c_group + ci) * in_pixels + in;
                        const long long w_index = ((long long)k * c_group + ci) * taps + t;
                        visit(x_index, w_index, y_index);
                    }
            }
}

}  // namespace kf_emu

extern "C" {

// The handle the harness passes as ctx->cudnn, bound to the NULL stream the emulation harness uses.
__attribute__((visibility("default"))) void* kf_emu_cudnn_handle(void) { return &kf_emu::cudnn_context; }
__attribute__((visibility("default"))) int kf_emu_cudnn_calls(void) { return kf_emu::cudnn_context.calls; }

int cudnnGetStream(cudnnHandle_t handle, cudaStream_t* stream) {
    if (handle == nullptr) return kf_emu::cudnn_refuse("NULL handle");
    *stream = handle->stream;
    return 0;
}

int cudnnCreateTensorDescriptor(cudnnTensorDescriptor_t* d) { *d = new cudnnTensorStruct{}; return 0; }

int cudnnSetTensorNdDescriptor(cudnnTensorDescriptor_t d, int data_type, int dims, const int* extents, const int* strides) {
    if (data_type != 0) return kf_emu::cudnn_refuse("tensor data type is not CUDNN_DATA_FLOAT");
    if (dims < 4 || dims > 5) return kf_emu::cudnn_refuse("tensor of other than 4 or 5 dimensions");
    d->dims = dims;
    for (int i = 0; i < dims; ++i) { d->extents[i] = extents[i]; d->strides[i] = strides[i]; }
    return 0;
}

int cudnnCreateFilterDescriptor(cudnnFilterDescriptor_t* d) { *d = new cudnnFilterStruct{}; return 0; }

int cudnnSetFilterNdDescriptor(cudnnFilterDescriptor_t d, int data_type, int format, int dims, const int* extents) {
    if (data_type != 0 || format != 0) return kf_emu::cudnn_refuse("filter is not fp32 NCHW");
    if (dims < 4 || dims > 5) return kf_emu::cudnn_refuse("filter of other than 4 or 5 dimensions");
    d->dims = dims;
    for (int i = 0; i < dims; ++i) d->extents[i] = extents[i];
    return 0;
}

int cudnnCreateConvolutionDescriptor(cudnnConvolutionDescriptor_t* d) { *d = new cudnnConvolutionStruct{0, {}, {}, {}, 1, 0}; return 0; }

int cudnnSetConvolutionNdDescriptor(cudnnConvolutionDescriptor_t d, int spatial, const int* padding, const int* stride, const int* dilation, int mode, int compute) {
    if (spatial < 2 || spatial > 3) return kf_emu::cudnn_refuse("convolution of other than 2 or 3 spatial dimensions");
    if (mode != 1) return kf_emu::cudnn_refuse("mode is not CUDNN_CROSS_CORRELATION");
    if (compute != 0) return kf_emu::cudnn_refuse("compute type is not fp32");
    d->spatial = spatial;
    for (int i = 0; i < spatial; ++i) { d->padding[i] = padding[i]; d->stride[i] = stride[i]; d->dilation[i] = dilation[i]; }
    return 0;
}

int cudnnSetConvolutionGroupCount(cudnnConvolutionDescriptor_t d, int groups) { d->groups = groups; return 0; }
int cudnnSetConvolutionMathType(cudnnConvolutionDescriptor_t d, int math) { d->math = math; return 0; }

static int kf_emu_heuristics(int requested, int* returned, kf_cudnn_algo_perf* perf) {
    if (requested < 2) return kf_emu::cudnn_refuse("fewer than 2 algorithms requested");
    perf[0] = kf_cudnn_algo_perf{kf_emu::kConversionAlgo, 0, 0.0f, 0, 0, 2 /* ALLOW_CONVERSION */, {0, 0, 0}};
    perf[1] = kf_cudnn_algo_perf{kf_emu::kAlgo, 0, 0.0f, kf_emu::kCudnnWorkspaceBytes, 0, 0, {0, 0, 0}};
    *returned = 2;
    return 0;
}

int cudnnGetConvolutionForwardAlgorithm_v7(cudnnHandle_t, cudnnTensorDescriptor_t x, cudnnFilterDescriptor_t w, cudnnConvolutionDescriptor_t c, cudnnTensorDescriptor_t y, int requested, int* returned, kf_cudnn_algo_perf* perf) {
    const char* wrong = kf_emu::cudnn_check_shapes(x, w, c, y);
    return *wrong ? kf_emu::cudnn_refuse(wrong) : kf_emu_heuristics(requested, returned, perf);
}

int cudnnGetConvolutionBackwardDataAlgorithm_v7(cudnnHandle_t, cudnnFilterDescriptor_t w, cudnnTensorDescriptor_t dy, cudnnConvolutionDescriptor_t c, cudnnTensorDescriptor_t dx, int requested, int* returned, kf_cudnn_algo_perf* perf) {
    const char* wrong = kf_emu::cudnn_check_shapes(dx, w, c, dy);
    return *wrong ? kf_emu::cudnn_refuse(wrong) : kf_emu_heuristics(requested, returned, perf);
}

int cudnnGetConvolutionForwardWorkspaceSize(cudnnHandle_t, cudnnTensorDescriptor_t, cudnnFilterDescriptor_t, cudnnConvolutionDescriptor_t, cudnnTensorDescriptor_t, int, size_t* bytes) {
    *bytes = kf_emu::kCudnnWorkspaceBytes;
    return 0;
}

int cudnnGetConvolutionBackwardDataWorkspaceSize(cudnnHandle_t, cudnnFilterDescriptor_t, cudnnTensorDescriptor_t, cudnnConvolutionDescriptor_t, cudnnTensorDescriptor_t, int, size_t* bytes) {
    *bytes = kf_emu::kCudnnWorkspaceBytes;
    return 0;
}

static int kf_emu_check_call(cudnnHandle_t handle, int algo, void* workspace, size_t bytes) {
    if (handle == nullptr) return kf_emu::cudnn_refuse("NULL handle");
    if (algo != kf_emu::kAlgo) return kf_emu::cudnn_refuse("an algorithm other than the one supported without fp16 conversion");
    if (workspace == nullptr || bytes < kf_emu::kCudnnWorkspaceBytes) return kf_emu::cudnn_refuse("less workspace than the algorithm needs");
    std::memset(workspace, 0x5a, kf_emu::kCudnnWorkspaceBytes);  // the memory must be writable
    handle->calls++;
    return 0;
}

int cudnnConvolutionForward(cudnnHandle_t handle, const void* alpha, cudnnTensorDescriptor_t xd, const void* x, cudnnFilterDescriptor_t wd, const void* w, cudnnConvolutionDescriptor_t cd, int algo, void* workspace, size_t bytes, const void* beta, cudnnTensorDescriptor_t yd, void* y) {
    if (const int status = kf_emu_check_call(handle, algo, workspace, bytes)) return status;
    const char* wrong = kf_emu::cudnn_check_shapes(xd, wd, cd, yd);
    if (*wrong) return kf_emu::cudnn_refuse(wrong);
    std::vector<double> sum(kf_emu::cudnn_count(yd), 0.0);
    const float *xf = static_cast<const float*>(x), *wf = static_cast<const float*>(w);
    kf_emu::cudnn_for_each_term(xd, wd, cd, yd, [&](long long xi, long long wi, long long yi) { sum[yi] += (double)xf[xi] * wf[wi]; });
    float* yf = static_cast<float*>(y);
    const float a = *static_cast<const float*>(alpha), b = *static_cast<const float*>(beta);
    for (size_t i = 0; i < sum.size(); ++i) yf[i] = (float)(a * sum[i] + (b == 0.0f ? 0.0 : (double)b * yf[i]));
    return 0;
}

int cudnnConvolutionBackwardData(cudnnHandle_t handle, const void* alpha, cudnnFilterDescriptor_t wd, const void* w, cudnnTensorDescriptor_t dyd, const void* dy, cudnnConvolutionDescriptor_t cd, int algo, void* workspace, size_t bytes, const void* beta, cudnnTensorDescriptor_t dxd, void* dx) {
    if (const int status = kf_emu_check_call(handle, algo, workspace, bytes)) return status;
    const char* wrong = kf_emu::cudnn_check_shapes(dxd, wd, cd, dyd);
    if (*wrong) return kf_emu::cudnn_refuse(wrong);
    std::vector<double> sum(kf_emu::cudnn_count(dxd), 0.0);
    const float *dyf = static_cast<const float*>(dy), *wf = static_cast<const float*>(w);
    kf_emu::cudnn_for_each_term(dxd, wd, cd, dyd, [&](long long xi, long long wi, long long yi) { sum[xi] += (double)dyf[yi] * wf[wi]; });
    float* dxf = static_cast<float*>(dx);
    const float a = *static_cast<const float*>(alpha), b = *static_cast<const float*>(beta);
    for (size_t i = 0; i < sum.size(); ++i) dxf[i] = (float)(a * sum[i] + (b == 0.0f ? 0.0 : (double)b * dxf[i]));
    return 0;
}

}  // extern "C"

#endif
