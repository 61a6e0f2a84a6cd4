// Probe of cuDNN's legacy convolution API through declarations of our own (no cudnn.h), as generated kernels will
// call it: a grouped strided forward convolution and a transposed one (backward data), each against a float64 CPU
// reference, and the time of one large forward convolution. Build:
//   nvcc -O2 -arch=sm_90 cudnn_probe.cu -o probe -Xlinker /path/libcudnn.so.9 -Xlinker -rpath,/path
#include <cuda_runtime.h>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

extern "C" {
typedef struct cudnnContext* cudnnHandle_t;
typedef struct cudnnTensorStruct* cudnnTensorDescriptor_t;
typedef struct cudnnFilterStruct* cudnnFilterDescriptor_t;
typedef struct cudnnConvolutionStruct* cudnnConvolutionDescriptor_t;
typedef struct { int algo; int status; float time; size_t memory; int determinism; int mathType; int reserved[3]; } kf_cudnn_algo_perf;
#define KF_WEAK __attribute__((weak))
size_t cudnnGetVersion(void) KF_WEAK;
int cudnnCreate(cudnnHandle_t*) KF_WEAK;
int cudnnDestroy(cudnnHandle_t) KF_WEAK;
int cudnnSetStream(cudnnHandle_t, cudaStream_t) KF_WEAK;
int cudnnGetStream(cudnnHandle_t, cudaStream_t*) KF_WEAK;
int cudnnCreateTensorDescriptor(cudnnTensorDescriptor_t*) KF_WEAK;
int cudnnSetTensorNdDescriptor(cudnnTensorDescriptor_t, int, int, const int*, const int*) KF_WEAK;
int cudnnCreateFilterDescriptor(cudnnFilterDescriptor_t*) KF_WEAK;
int cudnnSetFilterNdDescriptor(cudnnFilterDescriptor_t, int, int, int, const int*) KF_WEAK;
int cudnnCreateConvolutionDescriptor(cudnnConvolutionDescriptor_t*) KF_WEAK;
int cudnnSetConvolutionNdDescriptor(cudnnConvolutionDescriptor_t, int, const int*, const int*, const int*, int, int) KF_WEAK;
int cudnnSetConvolutionGroupCount(cudnnConvolutionDescriptor_t, int) KF_WEAK;
int cudnnSetConvolutionMathType(cudnnConvolutionDescriptor_t, int) KF_WEAK;
int cudnnGetConvolutionForwardAlgorithm_v7(cudnnHandle_t, cudnnTensorDescriptor_t, cudnnFilterDescriptor_t, cudnnConvolutionDescriptor_t, cudnnTensorDescriptor_t, int, int*, kf_cudnn_algo_perf*) KF_WEAK;
int cudnnConvolutionForward(cudnnHandle_t, const void*, cudnnTensorDescriptor_t, const void*, cudnnFilterDescriptor_t, const void*, cudnnConvolutionDescriptor_t, int, void*, size_t, const void*, cudnnTensorDescriptor_t, void*) KF_WEAK;
int cudnnGetConvolutionBackwardDataAlgorithm_v7(cudnnHandle_t, cudnnFilterDescriptor_t, cudnnTensorDescriptor_t, cudnnConvolutionDescriptor_t, cudnnTensorDescriptor_t, int, int*, kf_cudnn_algo_perf*) KF_WEAK;
int cudnnConvolutionBackwardData(cudnnHandle_t, const void*, cudnnFilterDescriptor_t, const void*, cudnnTensorDescriptor_t, const void*, cudnnConvolutionDescriptor_t, int, void*, size_t, const void*, cudnnTensorDescriptor_t, void*) KF_WEAK;
}

#define CK(x) do { int s_ = (int)(x); if (s_ != 0) { std::printf("FAIL %s = %d (line %d)\n", #x, s_, __LINE__); std::exit(1); } } while (0)

static std::vector<float> random_values(size_t n, unsigned seed) {
    std::vector<float> v(n); unsigned s = seed;
    for (auto& e : v) { s = s * 1664525u + 1013904223u; e = ((s >> 8) / 16777216.0f) * 2.0f - 1.0f; }
    return v;
}

static void descriptors(int n, int c, int h, int w, cudnnTensorDescriptor_t* t) {
    int dims[4] = {n, c, h, w}, strides[4] = {c * h * w, h * w, w, 1};
    CK(cudnnCreateTensorDescriptor(t)); CK(cudnnSetTensorNdDescriptor(*t, 0, 4, dims, strides));
}

int main() {
    if (cudnnCreate == nullptr) { std::printf("cuDNN symbols not bound (weak declarations are null)\n"); return 1; }
    std::printf("cudnnGetVersion %zu\n", cudnnGetVersion());
    cudnnHandle_t handle; CK(cudnnCreate(&handle));
    cudaStream_t stream; cudaStreamCreate(&stream); CK(cudnnSetStream(handle, stream));
    // Forward: x [2, 8, 9, 11], w [16, 4, 3, 3], groups 2, stride 2, pad 1, dilation 1 -> y [2, 16, 5, 6]
    const int N = 2, C = 8, H = 9, W = 11, K = 16, G = 2, R = 3, S = 3, stride = 2, pad = 1, dil = 1;
    const int P = (H + 2 * pad - dil * (R - 1) - 1) / stride + 1, Q = (W + 2 * pad - dil * (S - 1) - 1) / stride + 1;
    auto x = random_values((size_t)N * C * H * W, 1), w = random_values((size_t)K * (C / G) * R * S, 2);
    std::vector<double> ref((size_t)N * K * P * Q, 0.0);
    for (int n = 0; n < N; ++n) for (int k = 0; k < K; ++k) for (int p = 0; p < P; ++p) for (int q = 0; q < Q; ++q) {
        int g = k / (K / G); double acc = 0;
        for (int c = 0; c < C / G; ++c) for (int r = 0; r < R; ++r) for (int s = 0; s < S; ++s) {
            int ih = p * stride - pad + r * dil, iw = q * stride - pad + s * dil;
            if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
            acc += (double)x[((size_t)(n * C + g * (C / G) + c) * H + ih) * W + iw] * w[((size_t)(k * (C / G) + c) * R + r) * S + s];
        }
        ref[((size_t)(n * K + k) * P + p) * Q + q] = acc;
    }
    cudnnTensorDescriptor_t xd, yd; cudnnFilterDescriptor_t wd; cudnnConvolutionDescriptor_t cd;
    descriptors(N, C, H, W, &xd); descriptors(N, K, P, Q, &yd);
    int fdims[4] = {K, C / G, R, S}; CK(cudnnCreateFilterDescriptor(&wd)); CK(cudnnSetFilterNdDescriptor(wd, 0, 0, 4, fdims));
    int pads[2] = {pad, pad}, strides[2] = {stride, stride}, dils[2] = {dil, dil};
    CK(cudnnCreateConvolutionDescriptor(&cd)); CK(cudnnSetConvolutionNdDescriptor(cd, 2, pads, strides, dils, 1, 0));
    CK(cudnnSetConvolutionGroupCount(cd, G)); CK(cudnnSetConvolutionMathType(cd, 3 /* FMA: exact fp32 for this check */));
    kf_cudnn_algo_perf perf[8]; int returned = 0;
    CK(cudnnGetConvolutionForwardAlgorithm_v7(handle, xd, wd, cd, yd, 8, &returned, perf));
    std::printf("forward heuristics: %d returned; first algo %d status %d memory %zu math %d\n", returned, perf[0].algo, perf[0].status, perf[0].memory, perf[0].mathType);
    float *dx, *dw, *dy; void* ws = nullptr; size_t wsb = 256u << 20;
    cudaMalloc(&dx, x.size() * 4); cudaMalloc(&dw, w.size() * 4); cudaMalloc(&dy, ref.size() * 4); cudaMalloc(&ws, wsb);
    cudaMemcpy(dx, x.data(), x.size() * 4, cudaMemcpyHostToDevice); cudaMemcpy(dw, w.data(), w.size() * 4, cudaMemcpyHostToDevice);
    const float one = 1.0f, zero = 0.0f;
    CK(cudnnConvolutionForward(handle, &one, xd, dx, wd, dw, cd, perf[0].algo, ws, wsb, &zero, yd, dy));
    std::vector<float> y(ref.size()); cudaMemcpy(y.data(), dy, y.size() * 4, cudaMemcpyDeviceToHost);
    double err = 0; for (size_t i = 0; i < y.size(); ++i) err = std::fmax(err, std::fabs(y[i] - ref[i]));
    std::printf("forward grouped strided conv: max abs error vs float64 %.3e (%s)\n", err, err < 1e-4 ? "OK" : "WRONG");

    // Transposed: input [2, 16, 5, 6] (dy) through the same filter gives [2, 8, 9, 11] (dx): conv_transpose with weight [16, 4, 3, 3].
    auto t = random_values(ref.size(), 3);
    std::vector<double> tref(x.size(), 0.0);
    for (int n = 0; n < N; ++n) for (int k = 0; k < K; ++k) for (int p = 0; p < P; ++p) for (int q = 0; q < Q; ++q) {
        int g = k / (K / G);
        for (int c = 0; c < C / G; ++c) for (int r = 0; r < R; ++r) for (int s = 0; s < S; ++s) {
            int ih = p * stride - pad + r * dil, iw = q * stride - pad + s * dil;
            if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
            tref[((size_t)(n * C + g * (C / G) + c) * H + ih) * W + iw] += (double)t[((size_t)(n * K + k) * P + p) * Q + q] * w[((size_t)(k * (C / G) + c) * R + r) * S + s];
        }
    }
    cudaMemcpy(dy, t.data(), t.size() * 4, cudaMemcpyHostToDevice);
    CK(cudnnGetConvolutionBackwardDataAlgorithm_v7(handle, wd, yd, cd, xd, 8, &returned, perf));
    std::printf("backward-data heuristics: %d returned; first algo %d status %d memory %zu\n", returned, perf[0].algo, perf[0].status, perf[0].memory);
    CK(cudnnConvolutionBackwardData(handle, &one, wd, dw, yd, dy, cd, perf[0].algo, ws, wsb, &zero, xd, dx));
    std::vector<float> tx(x.size()); cudaMemcpy(tx.data(), dx, tx.size() * 4, cudaMemcpyDeviceToHost);
    err = 0; for (size_t i = 0; i < tx.size(); ++i) err = std::fmax(err, std::fabs(tx[i] - tref[i]));
    std::printf("transposed conv (backward data): max abs error vs float64 %.3e (%s)\n", err, err < 1e-4 ? "OK" : "WRONG");

    // Time: 16 x 64 x 128 x 128, 128 filters 3x3, pad 1 (problems/level1/conv2d.py's size), default math (TF32 allowed).
    const int n2 = 16, c2 = 64, h2 = 128, k2 = 128;
    cudnnTensorDescriptor_t x2, y2; cudnnFilterDescriptor_t w2; cudnnConvolutionDescriptor_t c2d;
    descriptors(n2, c2, h2, h2, &x2); descriptors(n2, k2, h2, h2, &y2);
    int f2[4] = {k2, c2, 3, 3}; CK(cudnnCreateFilterDescriptor(&w2)); CK(cudnnSetFilterNdDescriptor(w2, 0, 0, 4, f2));
    int p1[2] = {1, 1}, s1[2] = {1, 1}, d1[2] = {1, 1};
    CK(cudnnCreateConvolutionDescriptor(&c2d)); CK(cudnnSetConvolutionNdDescriptor(c2d, 2, p1, s1, d1, 1, 0)); CK(cudnnSetConvolutionMathType(c2d, 0));
    CK(cudnnGetConvolutionForwardAlgorithm_v7(handle, x2, w2, c2d, y2, 8, &returned, perf));
    for (int i = 0; i < returned; ++i) std::printf("  algo %d status %d memory %zu math %d\n", perf[i].algo, perf[i].status, perf[i].memory, perf[i].mathType);
    float *bx, *bw, *by; cudaMalloc(&bx, (size_t)n2 * c2 * h2 * h2 * 4); cudaMalloc(&bw, (size_t)k2 * c2 * 9 * 4); cudaMalloc(&by, (size_t)n2 * k2 * h2 * h2 * 4);
    cudaMemset(bx, 0, (size_t)n2 * c2 * h2 * h2 * 4); cudaMemset(bw, 0, (size_t)k2 * c2 * 9 * 4);
    int algo = -1; for (int i = 0; i < returned; ++i) if (perf[i].status == 0 && perf[i].memory <= wsb) { algo = perf[i].algo; break; }
    cudaEvent_t a, b; cudaEventCreate(&a); cudaEventCreate(&b);
    for (int i = 0; i < 5; ++i) CK(cudnnConvolutionForward(handle, &one, x2, bx, w2, bw, c2d, algo, ws, wsb, &zero, y2, by));
    cudaEventRecord(a, stream);
    for (int i = 0; i < 20; ++i) CK(cudnnConvolutionForward(handle, &one, x2, bx, w2, bw, c2d, algo, ws, wsb, &zero, y2, by));
    cudaEventRecord(b, stream); cudaEventSynchronize(b);
    float ms = 0; cudaEventElapsedTime(&ms, a, b);
    std::printf("large conv2d algo %d: %.1f us per call (mean of 20, L2 not flushed)\n", algo, ms * 1000.0f / 20);
    std::printf("cuda error: %s\n", cudaGetErrorString(cudaDeviceSynchronize()));
    CK(cudnnDestroy(handle));
    return 0;
}
