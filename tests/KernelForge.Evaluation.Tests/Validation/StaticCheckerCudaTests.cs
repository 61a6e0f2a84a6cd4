using KernelForge.Core;
using KernelForge.Evaluation.Validation;

namespace KernelForge.Evaluation.Tests.Validation;

public sealed class StaticCheckerCudaTests
{
    // Two lines before the snippet, so every expected line is 3 (or later for multi-line snippets).
    private const string Preamble = "#include \"kforge_abi.h\"\n// a candidate\n";

    [Theory]
    [InlineData("other-stream-or-event", "cudaStream_t s; cudaStreamCreate(&s);")]
    [InlineData("other-stream-or-event", "cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking);")]
    [InlineData("other-stream-or-event", "cudaEvent_t e; cudaEventCreate(&e);")]
    [InlineData("other-stream-or-event", "k<<<1, 32, 0, cudaStreamPerThread>>>(x);")]
    [InlineData("other-stream-or-event", "cudaMemsetAsync(p, 0, n, cudaStreamLegacy);")]
    [InlineData("default-stream-work", "k<<<grid, block>>>(x);")]
    [InlineData("default-stream-work", "k<<<grid, block, 0, 0>>>(x);")]
    [InlineData("default-stream-work", "k<<<grid, block, 0, (cudaStream_t)nullptr>>>(x);")]
    [InlineData("default-stream-work", "cudaMemsetAsync(p, 0, n);")]
    [InlineData("default-stream-work", "cudaMemcpyAsync(d, s, n, cudaMemcpyDeviceToDevice);")]
    [InlineData("synchronous-copy", "cudaMemcpy(d, h, n, cudaMemcpyHostToDevice);")]
    [InlineData("synchronous-copy", "cudaMemset(p, 0, n);")]
    [InlineData("host-threads", "std::thread t(work); t.detach();")]
    [InlineData("host-threads", "#include <thread>")]
    [InlineData("host-threads", "#include <future>")]
    [InlineData("host-threads", "auto f = std::async(work);")]
    [InlineData("host-threads", "pthread_t t; pthread_create(&t, 0, work, 0);")]
    [InlineData("host-threads", "#pragma omp parallel for")]
    [InlineData("host-threads", "cudaLaunchHostFunc(stream, callback, 0);")]
    [InlineData("process-control", "fork();")]
    [InlineData("process-control", "vfork();")]
    [InlineData("process-control", "execve(path, argv, envp);")]
    [InlineData("process-control", "execlp(\"sh\", \"sh\", 0);")]
    [InlineData("process-control", "system(\"nvidia-smi\");")]
    [InlineData("process-control", "FILE* p = popen(\"ls\", \"r\");")]
    [InlineData("process-control", "posix_spawn(&pid, path, 0, 0, argv, envp);")]
    [InlineData("process-control", "syscall(SYS_getpid);")]
    [InlineData("file-or-socket", "FILE* f = fopen(\"out.bin\", \"rb\");")]
    [InlineData("file-or-socket", "int fd = open(\"out.bin\", 0);")]
    [InlineData("file-or-socket", "int fd = openat(AT_FDCWD, \"out.bin\", 0);")]
    [InlineData("file-or-socket", "std::ifstream in(\"out.bin\");")]
    [InlineData("file-or-socket", "std::ofstream out(\"log.txt\");")]
    [InlineData("file-or-socket", "std::fstream io;")]
    [InlineData("file-or-socket", "int s = socket(AF_INET, SOCK_STREAM, 0);")]
    [InlineData("file-or-socket", "connect(s, address, length);")]
    [InlineData("system-path", "const char* p = \"/proc/self/maps\";")]
    [InlineData("system-path", "const char* p = \"/dev/shm/kforge\";")]
    [InlineData("system-path", "const char* p = \"/pr\" \"oc/self/mem\";")]
    [InlineData("system-path", "const char* p = \"\\x2f\\x70roc/1/mem\";")]
    [InlineData("system-path", "const char* p = \"//dev/./shm/x\";")]
    [InlineData("raw-fd-io", "write(3, line, length);")]
    [InlineData("raw-fd-io", "dup2(fd, 1);")]
    [InlineData("include-path", "#include \"/tmp/kforge/expected.h\"")]
    [InlineData("include-path", "#include \"../../secret.h\"")]
    [InlineData("include-path", "#embed \"weights.bin\"")]
    [InlineData("include-path", "#include HEADER_MACRO")]
    [InlineData("dynamic-loading", "void* h = dlopen(\"libcudart.so\", RTLD_NOW);")]
    [InlineData("dynamic-loading", "void* f = dlsym(RTLD_DEFAULT, \"cudaEventRecord\");")]
    [InlineData("dynamic-loading", "void* h = dlmopen(LM_ID_NEWLM, \"libx.so\", 1);")]
    [InlineData("dynamic-loading", "nvrtcCreateProgram(&program, source, 0, 0, 0, 0);")]
    [InlineData("dynamic-loading", "cuModuleLoadData(&module, image);")]
    [InlineData("memory-protection", "mprotect(page, 4096, PROT_READ | PROT_WRITE);")]
    [InlineData("memory-protection", "void* m = mmap(0, n, 3, 34, -1, 0);")]
    [InlineData("cuda-ipc", "cudaIpcOpenMemHandle(&p, handle, cudaIpcMemLazyEnablePeerAccess);")]
    [InlineData("cuda-graph", "cudaGraph_t graph;")]
    [InlineData("cuda-graph", "cudaStreamBeginCapture(stream, cudaStreamCaptureModeGlobal);")]
    [InlineData("cuda-graph", "cudaGraphLaunch(exec, stream);")]
    [InlineData("device-sync-or-alloc", "cudaDeviceSynchronize();")]
    [InlineData("device-sync-or-alloc", "cudaMalloc(&p, n);")]
    [InlineData("device-sync-or-alloc", "cudaMallocManaged(&p, n);")]
    [InlineData("device-sync-or-alloc", "cudaFree(p);")]
    [InlineData("device-sync-or-alloc", "cudaDeviceReset();")]
    [InlineData("device-sync-or-alloc", "cudaSetDevice(1);")]
    [InlineData("harness-timing", "cudaEventRecord(start, stream);")]
    [InlineData("harness-timing", "cudaEventElapsedTime(&ms, start, stop);")]
    [InlineData("harness-timing", "cuEventRecord(start, hStream);")]
    [InlineData("harness-timing", "cudaEventSynchronize(stop);")]
    [InlineData("host-clock", "auto t0 = std::chrono::steady_clock::now();")]
    [InlineData("host-clock", "clock_gettime(CLOCK_MONOTONIC, &ts);")]
    [InlineData("persisting-l2", "cudaStreamSetAttribute(stream, cudaStreamAttributeAccessPolicyWindow, &value);")]
    [InlineData("persisting-l2", "cudaDeviceSetLimit(cudaLimitPersistingL2CacheSize, bytes);")]
    [InlineData("non-ptx-asm", "asm(\"int $0x80\");")]
    [InlineData("non-ptx-asm", "__asm__ volatile(\"syscall\");")]
    [InlineData("non-ptx-asm", "asm volatile(\"mov %eax, %ebx\");")]
    [InlineData("non-ptx-asm", "asm volatile(\"mov.u32 %0, %1;\\n\\tsyscall\" : \"=r\"(a) : \"r\"(b));")]
    [InlineData("non-ptx-asm", "asm(\".incbin \\\"expected.bin\\\"\");")]
    [InlineData("non-ptx-asm", "extern \"C\" int run(const char*) __asm__(\"system\");")]
    [InlineData("non-ptx-asm", "asm volatile(TEMPLATE);")]
    [InlineData("harness-internals", "void* h = ctx->harness;")]
    [InlineData("load-time-code", "__attribute__((constructor)) static void setup() {}")]
    [InlineData("load-time-code", "[[gnu::constructor]] void setup();")]
    [InlineData("load-time-code", "__attribute__((section(\".init_array\"))) void* hook = (void*)setup;")]
    [InlineData("symbol-alias", "static int run(const char*) __attribute__((weakref(\"system\")));")]
    [InlineData("symbol-alias", "#pragma weak hidden_sync")]
    [InlineData("trigraph", "// harmless??/")]
    public void Check_RejectedConstruct_RejectedWithRuleAndLine(string ruleId, string snippet)
    {
        var result = StaticChecker.Check(Preamble + snippet + "\n", CandidateFormat.Abi, LibraryPolicy.AllowLibraries);

        Assert.True(result.Rejected, Describe(result));
        var finding = Assert.Single(result.Findings, finding => finding.RuleId == ruleId);
        Assert.Equal(StaticVerdict.Reject, finding.Verdict);
        Assert.Equal(3, finding.Line);
        Assert.Equal(snippet.Trim(), finding.Excerpt);
        Assert.False(string.IsNullOrWhiteSpace(finding.Message));
    }

    [Theory]
    [InlineData("cudaDeviceSynchronize();")]
    [InlineData("cudaStreamCreate(&s);")]
    [InlineData("cudaEventRecord(e, stream);")]
    [InlineData("cudaMalloc(&p, n);")]
    [InlineData("cudaGraphLaunch(g, stream);")]
    [InlineData("std::thread t(f);")]
    [InlineData("fork(); system(\"x\"); popen(\"x\", \"r\");")]
    [InlineData("fopen(\"x\", \"r\"); socket(1, 2, 3);")]
    [InlineData("dlopen(\"x\", 1); mprotect(p, 1, 2);")]
    [InlineData("write(3, b, n);")]
    [InlineData("k<<<1, 1>>>(x);")]
    public void Check_BannedCodeInCommentsOrStrings_NotRejected(string code)
    {
        var source = Preamble
            + "// " + code + "\n"
            + "/* " + code + "\n   " + code + " */\n"
            + "const char* note = \"" + code.Replace("\"", "\\\"", StringComparison.Ordinal) + "\";\n"
            + "const char* raw = R\"(" + code + ")\";\n";

        var result = StaticChecker.Check(source, CandidateFormat.Abi, LibraryPolicy.PureCuda);

        Assert.False(result.Rejected, Describe(result));
        Assert.Empty(result.Findings);
    }

    [Fact]
    public void Check_EntryStreamReassigned_RejectedWhereItHappens()
    {
        const string Source = Preamble
            + "KFORGE_ENTRY(const kf_tensor* in, int ni, kf_tensor* out, int no, cudaStream_t stream, kf_context* ctx) {\n" // 3
            + "    if (stream == nullptr) return 1;\n"                                                                   // 4
            + "    stream = nullptr;\n"                                                                                  // 5
            + "    { cudaStream_t stream = 0; k<<<1, 1, 0, stream>>>(); }\n"                                             // 6
            + "    helper(&stream);\n"                                                                                   // 7
            + "    k<<<1, 1, 0, stream>>>();\n"                                                                          // 8
            + "    return 0;\n}\n";

        var result = StaticChecker.Check(Source, CandidateFormat.Abi, LibraryPolicy.AllowLibraries);

        Assert.True(result.Rejected);
        Assert.Equal([5, 6, 7], result.Findings.Where(finding => finding.RuleId == "stream-reassigned").Select(finding => finding.Line));
        Assert.All(result.Findings, finding => Assert.Equal("stream-reassigned", finding.RuleId));
    }

    [Fact]
    public void Check_DigraphBracesAroundEntryBody_StillChecked()
    {
        const string Source = Preamble + "KFORGE_ENTRY(const kf_tensor* in, int ni, kf_tensor* out, int no, cudaStream_t stream, kf_context* ctx) <%\n    stream = 0;\n    return 0;\n%>\n";

        var result = StaticChecker.Check(Source, CandidateFormat.Abi, LibraryPolicy.AllowLibraries);

        Assert.Equal(("stream-reassigned", 4), (Assert.Single(result.Findings).RuleId, result.Findings[0].Line));
    }

    [Fact]
    public void Check_TorchDeviceSynchronizeInExtension_Rejected()
    {
        const string Source = "#include <torch/extension.h>\ntorch::Tensor f(torch::Tensor x) {\n  torch::cuda::synchronize();\n  return x;\n}\n";

        var result = StaticChecker.Check(Source, CandidateFormat.TorchExtension, LibraryPolicy.AllowLibraries);

        Assert.Equal(("device-sync-or-alloc", 3), (Assert.Single(result.Findings).RuleId, result.Findings[0].Line));
    }

    [Fact]
    public void Check_SystemPathInComment_NotRejected()
    {
        var result = StaticChecker.Check(Preamble + "// reads nothing from /proc or /dev/shm\nint x;\n", CandidateFormat.Abi, LibraryPolicy.AllowLibraries);

        Assert.False(result.Rejected, Describe(result));
    }

    [Fact]
    public void Check_DefineAliasOfBannedName_RejectedAtTheDefine()
    {
        const string Source = Preamble + "#define MYSYNC cudaDeviceSynchronize\nvoid f() {\n    MYSYNC();\n}\n";

        var result = StaticChecker.Check(Source, CandidateFormat.Abi, LibraryPolicy.AllowLibraries);

        Assert.True(result.Rejected);
        var finding = Assert.Single(result.Findings);
        Assert.Equal(("device-sync-or-alloc", 3, "cudaDeviceSynchronize"), (finding.RuleId, finding.Line, finding.Matched));
        Assert.Equal("#define MYSYNC cudaDeviceSynchronize", finding.Excerpt);
    }

    [Fact]
    public void Check_BannedNameSplitByLineContinuation_Rejected()
    {
        var result = StaticChecker.Check(Preamble + "cudaDevice\\\nSynchronize();\n", CandidateFormat.Abi, LibraryPolicy.AllowLibraries);

        Assert.Equal(("device-sync-or-alloc", 3), (Assert.Single(result.Findings).RuleId, result.Findings[0].Line));
    }

    [Fact]
    public void Check_AsmKeywordAliasedByMacro_Rejected()
    {
        var result = StaticChecker.Check(Preamble + "#define ASM __asm__ __volatile__\nASM(\"syscall\");\n", CandidateFormat.Abi, LibraryPolicy.AllowLibraries);

        Assert.True(result.Rejected);
        Assert.Equal(3, Assert.Single(result.Findings, finding => finding.RuleId == "non-ptx-asm").Line);
    }

    [Theory]
    [InlineData("asm volatile(\"mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%10,%11,%12,%13};\\n\" : \"+f\"(d0), \"+f\"(d1), \"+f\"(d2), \"+f\"(d3) : \"r\"(a0), \"r\"(a1), \"r\"(a2), \"r\"(a3), \"r\"(b0), \"r\"(b1));")]
    [InlineData("asm volatile(\"cp.async.cg.shared.global [%0], [%1], 16;\\n\" :: \"r\"(smem), \"l\"(gmem));")]
    [InlineData("asm volatile(\"cp.async.commit_group;\\n\" ::);")]
    [InlineData("asm volatile(\"ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0, %1, %2, %3}, [%4];\" : \"=r\"(r0), \"=r\"(r1), \"=r\"(r2), \"=r\"(r3) : \"r\"(addr));")]
    [InlineData("asm volatile(\"{\\n\\t.reg .pred p;\\n\\tsetp.ne.b32 p, %1, 0;\\n\\t@p mov.u32 %0, 1;\\n}\\n\" : \"=r\"(r) : \"r\"(x));")]
    [InlineData("asm volatile(\"bar.sync 0;\" ::: \"memory\");")]
    [InlineData("asm volatile(\"\" ::: \"memory\");")]
    [InlineData("asm volatile(\"fence.proxy.async.shared::cta;\");")]
    [InlineData("asm volatile(\"wgmma.fence.sync.aligned;\\n\" ::: \"memory\");")]
    [InlineData("asm(\"shfl.sync.bfly.b32 %0, %1, %2, 0x1f, 0xffffffff;\" : \"=r\"(y) : \"r\"(x), \"r\"(m));")]
    [InlineData("asm volatile(\"ld.global.nc.v4.f32 {%0, %1, %2, %3}, [%4]; // vector load\" : \"=f\"(a), \"=f\"(b), \"=f\"(c), \"=f\"(d) : \"l\"(p));")]
    [InlineData("asm volatile(\"L_%=:\\n\\tmbarrier.try_wait.parity.shared::cta.b64 p, [%0], %1;\\n\\t@!p bra L_%=;\" :: \"r\"(bar), \"r\"(phase));")]
    [InlineData("asm volatile(R\"(\n  prmt.b32 %0, %1, %2, 0x5410;\n  lop3.b32 %0, %0, %3, %4, 0xea;\n)\" : \"=r\"(d) : \"r\"(a), \"r\"(b), \"r\"(c), \"r\"(e));")]
    public void Check_PtxInlineAsm_NoFindings(string statement)
    {
        var result = StaticChecker.Check(Preamble + "__device__ void f() {\n" + statement + "\n}\n", CandidateFormat.Abi, LibraryPolicy.PureCuda);

        Assert.Empty(result.Findings);
    }

    [Fact]
    public void Check_CublasUnderAllowLibraries_RecordedNotRejected()
    {
        var result = StaticChecker.Check(CublasSource, CandidateFormat.Abi, LibraryPolicy.AllowLibraries);

        Assert.False(result.Rejected, Describe(result));
        Assert.Equal(["cuBLAS"], result.LibrariesUsed);
        Assert.Equal(["uses cuBLAS: yes"], result.LibrarySummary);
        Assert.All(result.Findings, finding => Assert.Equal(("uses-cublas", StaticVerdict.Record), (finding.RuleId, finding.Verdict)));
        Assert.Equal([1, 5, 6], result.Findings.Select(finding => finding.Line));
    }

    [Fact]
    public void Check_CublasUnderPureCuda_Rejected()
    {
        var result = StaticChecker.Check(CublasSource, CandidateFormat.Abi, LibraryPolicy.PureCuda);

        Assert.True(result.Rejected);
        Assert.Equal(["cuBLAS"], result.LibrariesUsed);
        var finding = result.Findings[0];
        Assert.Equal(StaticVerdict.Reject, finding.Verdict);
        Assert.Contains("the pure-cuda policy forbids cuBLAS", finding.Message, StringComparison.Ordinal);
        Assert.Contains("--library-policy allow-libraries", finding.Message, StringComparison.Ordinal);
        Assert.Contains("line 1 [uses-cublas]", result.DescribeRejections(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("#include <cublasLt.h>\ncublasLtMatmul(h, d, a, A, da, B, db, b, C, dc, D, dd, 0, 0, 0, stream);", "cuBLASLt", true)]
    [InlineData("#include <cudnn.h>\ncudnnConvolutionForward(h, a, x, dx, w, dw, conv, algo, ws, n, b, y, dy);", "cuDNN", true)]
    [InlineData("int f(kf_context* ctx) { return ctx->cudnn != nullptr; }", "cuDNN", true)]
    [InlineData("#include <cutlass/gemm/device/gemm.h>\nusing Gemm = cutlass::gemm::device::Gemm<float, L, float, L, float, L>;", "CUTLASS", false)]
    [InlineData("#include <thrust/sort.h>\nthrust::sort(thrust::cuda::par.on(stream), p, p + n);", "Thrust", false)]
    [InlineData("#include <cub/cub.cuh>\nusing Reduce = cub::BlockReduce<float, 256>;", "CUB", false)]
    public void Check_LibraryUse_RecordedAndRejectedOnlyForVendorLibrariesUnderPureCuda(string code, string library, bool rejectedUnderPureCuda)
    {
        var allowed = StaticChecker.Check(code + "\n", CandidateFormat.Abi, LibraryPolicy.AllowLibraries);
        var pure = StaticChecker.Check(code + "\n", CandidateFormat.Abi, LibraryPolicy.PureCuda);

        Assert.False(allowed.Rejected, Describe(allowed));
        Assert.Equal([library], allowed.LibrariesUsed);
        Assert.Equal(rejectedUnderPureCuda, pure.Rejected);
        Assert.Equal([library], pure.LibrariesUsed);
    }

    [Fact]
    public void Check_DefaultStreamLaunchInTorchExtension_NotRejected()
    {
        const string Source = "#include <torch/extension.h>\n__global__ void k(float* x) {}\ntorch::Tensor f(torch::Tensor x) {\n  k<<<1, 32>>>(x.data_ptr<float>());\n  return x;\n}\nPYBIND11_MODULE(TORCH_EXTENSION_NAME, m) { m.def(\"forward\", &f); }\n";

        var result = StaticChecker.Check(Source, CandidateFormat.TorchExtension, LibraryPolicy.PureCuda);

        Assert.Empty(result.Findings);
    }

    [Fact]
    public void Check_AtenComputeInTorchExtension_FlaggedAndRejectedUnderPureCuda()
    {
        const string Source = "#include <torch/extension.h>\ntorch::Tensor f(torch::Tensor a, torch::Tensor b) {\n  auto y = torch::empty_like(a);\n  return at::matmul(a, b).relu();\n}\n";

        var allowed = StaticChecker.Check(Source, CandidateFormat.TorchExtension, LibraryPolicy.AllowLibraries);
        var pure = StaticChecker.Check(Source, CandidateFormat.TorchExtension, LibraryPolicy.PureCuda);

        Assert.False(allowed.Rejected);
        var finding = Assert.Single(allowed.Findings);
        Assert.Equal(("torch-fallback-cpp", StaticVerdict.Flag, 4), (finding.RuleId, finding.Verdict, finding.Line));
        Assert.True(pure.Rejected);
    }

    [Fact]
    public void Check_PersistentState_FlaggedNotRejected()
    {
        const string Source = Preamble + "__device__ int g_calls;\nconstexpr int kThreads = 256;\nint host_calls = 0;\nKFORGE_ENTRY(const kf_tensor* i, int ni, kf_tensor* o, int no, cudaStream_t stream, kf_context* ctx) {\n  static int calls = 0;\n  static constexpr int kLimit = 3;\n  return 0;\n}\n";

        var result = StaticChecker.Check(Source, CandidateFormat.Abi, LibraryPolicy.PureCuda);

        Assert.False(result.Rejected, Describe(result));
        Assert.All(result.Findings, finding => Assert.Equal(("persistent-state", StaticVerdict.Flag), (finding.RuleId, finding.Verdict)));
        Assert.Equal([3, 5, 7], result.Findings.Select(finding => finding.Line));
    }

    /// <summary>The ABI header inlined into a generated torch extension (typedef enum { … } kf_dtype;) declares types; a struct with a variable after it does not.</summary>
    [Fact]
    public void Check_TypedefOfABracedType_NotState_StructVariableIs()
    {
        const string Source = Preamble + "typedef enum kf_kind {\n  KF_A = 0,\n} kf_kind;\ntypedef struct pair {\n  int a;\n} pair, *pair_ptr;\nstruct counter {\n  int n;\n} g_counter;\n";

        var result = StaticChecker.Check(Source, CandidateFormat.Abi, LibraryPolicy.AllowLibraries);

        var finding = Assert.Single(result.Findings);
        Assert.Equal(("persistent-state", 11), (finding.RuleId, finding.Line));
    }

    [Fact]
    public void Check_ExternCFunctionBody_LocalsAreNotNamespaceState()
    {
        const string Source = Preamble + "extern \"C\" int helper(int n) {\n  int total;\n  total = n;\n  return total;\n}\nextern \"C\" {\nint shared_counter;\n}\n";

        var result = StaticChecker.Check(Source, CandidateFormat.Abi, LibraryPolicy.AllowLibraries);

        var finding = Assert.Single(result.Findings);
        Assert.Equal(("persistent-state", 9), (finding.RuleId, finding.Line));
    }

    [Fact]
    public void Check_TokenPaste_Flagged()
    {
        var result = StaticChecker.Check(Preamble + "#define CAT(a, b) a##b\nCAT(cudaDevice, Synchronize)();\n", CandidateFormat.Abi, LibraryPolicy.AllowLibraries);

        Assert.False(result.Rejected);
        Assert.Equal(("token-paste", 3), (Assert.Single(result.Findings).RuleId, result.Findings[0].Line));
    }

    [Fact]
    public void Check_LongLine_ExcerptCutTo120Characters()
    {
        var result = StaticChecker.Check("    cudaDeviceSynchronize(); // " + new string('x', 200) + "\n", CandidateFormat.Abi, LibraryPolicy.AllowLibraries);

        var excerpt = Assert.Single(result.Findings).Excerpt;
        Assert.Equal(StaticFinding.MaxExcerptChars, excerpt.Length);
        Assert.StartsWith("cudaDeviceSynchronize();", excerpt, StringComparison.Ordinal);
        Assert.EndsWith("…", excerpt, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_MemberNamedLikeBannedFunction_NotRejected()
    {
        var result = StaticChecker.Check(Preamble + "void f(Log& log) { log.write(1); log->open(); stream.connect(); }\n", CandidateFormat.Abi, LibraryPolicy.AllowLibraries);

        Assert.Empty(result.Findings);
    }

    private const string CublasSource =
        "#include <cublas_v2.h>\n#include \"kforge_abi.h\"\nKFORGE_ENTRY(const kf_tensor* in, int ni, kf_tensor* out, int no, cudaStream_t stream, kf_context* ctx) {\n  const float one = 1.0f, zero = 0.0f;\n  cublasHandle_t handle = (cublasHandle_t)ctx->cublas;\n  return (int)cublasSgemm(handle, CUBLAS_OP_N, CUBLAS_OP_N, 64, 64, 64, &one, (const float*)in[1].data, 64, (const float*)in[0].data, 64, &zero, (float*)out[0].data, 64);\n}\n";

    internal static string Describe(StaticCheckResult result) =>
        string.Join("\n", result.Findings.Select(finding => $"{finding.Line} {finding.RuleId} {finding.Verdict} {finding.Matched} | {finding.Excerpt}"));
}
