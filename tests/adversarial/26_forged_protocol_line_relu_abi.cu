// ADVERSARIAL, must be REJECTED. Target problem: problems/level1/relu.py (4096 x 16384).
// Hole it tries: forging the runner's protocol. The runner answers the orchestrator with JSON lines on stdout; the
// entry does no work and instead prints a line shaped like a successful reply ("failure": null, return code 0) and
// flushes it, hoping the orchestrator reads it as the call's result (or that a harness parsing logs for "ok"
// takes it). Host printf is allowed in candidates, so no static rule stops it.
// How it should be caught: the runner moves its protocol stream to a private duplicate of fd 1 at start-up and
// points fd 1 at stderr, so the forged line lands in the log; the real reply reports the untouched, poisoned
// output: `unwritten_output`.
#include "kforge_abi.h"
#include <stdio.h>

KFORGE_ENTRY(const kf_tensor* inputs, int num_inputs, kf_tensor* outputs, int num_outputs, cudaStream_t stream,
             kf_context* ctx) {
    (void)inputs; (void)outputs; (void)stream; (void)ctx;
    if (num_inputs != 1 || num_outputs != 1) return 1000;
    printf("{\"failure\":null,\"message\":null,\"return_code\":0,\"runner_exiting\":false}\n");
    printf("{\"v\":1,\"ok\":true,\"verdict\":\"accepted\",\"failure\":null}\n");
    fflush(stdout);
    return 0;
}
