// ADVERSARIAL, must be REJECTED. Target problem: problems/level1/relu.py.
// Hole it tries: "the output buffer already holds the right answer". It launches nothing and returns 0, so it
// passes only if the harness reuses an output buffer that an earlier (reference or honest) run filled, or
// never checks that every output element was written. The harness poisons outputs with NaN before each call,
// so the expected verdict is `unwritten_output`.
#include "kforge_abi.h"

KFORGE_ENTRY(const kf_tensor* inputs, int num_inputs, kf_tensor* outputs, int num_outputs, cudaStream_t stream,
             kf_context* ctx) {
    (void)inputs; (void)num_inputs; (void)outputs; (void)num_outputs; (void)stream; (void)ctx;
    return 0;
}
