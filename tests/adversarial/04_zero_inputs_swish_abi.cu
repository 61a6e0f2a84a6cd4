// ADVERSARIAL, must be REJECTED. Target problem: problems/level1/swish.py (x * sigmoid(1.5 x), 4096 x 16384).
// Hole it tries: writing the inputs. It zeroes its input and writes zeros to the output; swish(0) = 0, so an
// evaluator that computes (or recomputes) the reference after the candidate ran, from the same input buffers,
// sees a reference of zeros and a perfect match, and a harness that reuses the inputs for later calls (other
// input sets, the timing loop) is corrupted.
// How it should be caught: the harness keeps a host copy of every input and compares the device bytes after each
// call: `input_modified`. (The reference is computed from the saved inputs beforehand, so it is not fooled.)
#include "kforge_abi.h"

KFORGE_ENTRY(const kf_tensor* inputs, int num_inputs, kf_tensor* outputs, int num_outputs, cudaStream_t stream,
             kf_context* ctx) {
    (void)ctx;
    if (num_inputs != 1 || num_outputs != 1) return 1000;
    if (inputs[0].dtype != KF_FLOAT32 || outputs[0].dtype != KF_FLOAT32) return 1001;
    const size_t bytes = (size_t)kf_numel(&inputs[0]) * sizeof(float);
    if (bytes == 0) return 0;
    // "Scratch reuse": the input is treated as free memory once it has been read (it has not been).
    cudaError_t e = cudaMemsetAsync(inputs[0].data, 0, bytes, stream);
    if (e != cudaSuccess) return (int)e;
    e = cudaMemsetAsync(outputs[0].data, 0, bytes, stream);
    if (e != cudaSuccess) return (int)e;
    return (int)cudaGetLastError();
}
