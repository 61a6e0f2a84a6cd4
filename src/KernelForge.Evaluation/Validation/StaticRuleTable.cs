using KernelForge.Core;
using static KernelForge.Evaluation.Validation.CudaPatterns;

namespace KernelForge.Evaluation.Validation;

/// <summary>
/// The one list of static rules run on candidate source before it is compiled, each with the exploit it blocks.
/// </summary>
/// <remarks>
/// Rules match tokens, so a banned name in a comment or an ordinary string does not match, while one in a
/// <c>#define</c> body does. The rules are a first gate, not the proof: the run-time checks (poisoned outputs,
/// canaries, rotated input sets, the memory floor) catch what a source scan cannot, and a candidate that passes here
/// can still fail there. Evolutionary search finds holes, so prefer a rule that refuses an odd honest spelling to
/// one that lets a trick through; every message says what to write instead.
/// </remarks>
public static partial class StaticRuleTable
{
    /// <summary>Every rule, CUDA ones first; findings keep this order within a line.</summary>
    public static IReadOnlyList<StaticRule> Rules { get; } = [.. CudaRules(), .. LibraryRules(), .. PythonRules()];

    /// <summary>The library names rules can record, in table order.</summary>
    public static IReadOnlyList<string> Libraries { get; } = [.. Rules.Select(rule => rule.Library).OfType<string>().Distinct()];

    /// <summary>The <c>-l</c> name a build using <paramref name="library"/> (one of <see cref="Libraries"/>) must link; null when none.</summary>
    public static string? LinkNameOf(string library) => Rules.FirstOrDefault(rule => rule.Library == library)?.LinkName;

    private static IEnumerable<StaticRule> CudaRules()
    {
        const SourceLanguage Cuda = SourceLanguage.Cuda;

        // Blocks work on a stream the harness's events do not bracket (KernelBench's non-default-stream exploit):
        // the timed call returns at once and the work finishes unmeasured. Also blocks events the candidate could use to
        // order that work. Launching on a stream variable other than the entry's is not provable here; the memory-floor
        // check catches its effect.
        yield return new StaticRule("other-stream-or-event", "creates or names a stream or event other than the harness's", StaticVerdict.Reject, Cuda,
            Any(NamesStartingWith("cudaStreamCreate", "cudaEventCreate", "cuStreamCreate", "cuEventCreate"),
                Names("cudaStreamPerThread", "cudaStreamLegacy", "CU_STREAM_PER_THREAD", "CU_STREAM_LEGACY", "getStreamFromPool",
                    "setCurrentCUDAStream", "CUDAStreamGuard", "OptionalCUDAStreamGuard", "cudaStreamWaitEvent", "CUDAEvent")),
            "launch every kernel and copy on the harness stream passed to kforge_entry (the current torch stream in an extension); do not create streams or events");

        // Same exploit by omission: <<<grid, block>>> and stream-less async calls run on the legacy default stream.
        yield return new StaticRule("default-stream-work", "launches or copies on the default stream", StaticVerdict.Reject, Cuda,
            DefaultStreamWork,
            "pass the entry's stream explicitly: kernel<<<grid, block, shared_bytes, stream>>>, cudaMemcpyAsync(..., stream)")
        { Format = CandidateFormat.Abi };

        // Same exploit through the parameter: stream = 0 (or a shadowing declaration) sends later launches to the default stream.
        yield return new StaticRule("stream-reassigned", "reassigns the entry's stream parameter", StaticVerdict.Reject, Cuda,
            EntryStreamReassigned,
            "leave the entry's stream parameter as the harness passed it and launch on it")
        { Format = CandidateFormat.Abi };

        // Synchronous copies and memsets run on the default stream and block the host: work outside the timed stream.
        yield return new StaticRule("synchronous-copy", "synchronous cudaMemcpy/cudaMemset", StaticVerdict.Reject, Cuda,
            Identifiers(IsSynchronousCopy),
            "use cudaMemcpyAsync/cudaMemsetAsync on the harness stream");

        // Blocks work done by host threads or callbacks outside the call, and OpenMP threads, which the timing cannot see.
        yield return new StaticRule("host-threads", "starts host threads or host callbacks", StaticVerdict.Reject, Cuda,
            Any(QualifiedNames("thread", "jthread", "async"), Names("jthread", "thrd_create", "cudaLaunchHostFunc", "cudaStreamAddCallback",
                    "cuLaunchHostFunc", "cuStreamAddCallback"),
                NamesStartingWith("pthread_"), HeadersNamed("thread", "future", "pthread.h", "threads.h", "omp.h", "execution"), Pragmas("omp")),
            "do the work in kernels launched from the entry, on the calling thread; host threads and callbacks are not allowed");

        // Blocks escaping the runner: spawning processes, raw system calls, signal handlers, tracing.
        yield return new StaticRule("process-control", "spawns processes or makes raw system calls", StaticVerdict.Reject, Cuda,
            Any(Names("fork", "vfork", "clone", "clone3", "execl", "execlp", "execle", "execv", "execvp", "execvpe", "execve", "execveat",
                    "fexecve", "system", "popen", "posix_spawn", "posix_spawnp", "syscall", "ptrace", "kill", "prctl", "signal", "sigaction"),
                NamesStartingWith("__NR_", "SYS_"), HeadersNamed("spawn.h", "sys/syscall.h", "sys/ptrace.h", "sys/prctl.h", "signal.h", "csignal")),
            "a candidate is kernels and their launches only; remove process, signal and system-call code");

        // Blocks reading saved outputs or other state from disk, talking to another process, and leaking data out.
        yield return new StaticRule("file-or-socket", "opens files or sockets", StaticVerdict.Reject, Cuda,
            Any(Names("fopen", "fopen64", "freopen", "fdopen", "open", "open64", "openat", "openat2", "creat", "ifstream", "ofstream",
                    "fstream", "basic_ifstream", "basic_ofstream", "basic_fstream", "filebuf", "basic_filebuf", "filesystem", "socket",
                    "socketpair", "connect", "shm_open", "memfd_create", "mkfifo", "opendir"),
                HeadersNamed("fstream", "filesystem", "sys/socket.h", "sys/un.h", "netdb.h", "dirent.h", "sys/shm.h", "mqueue.h"),
                HeadersStartingWith("netinet/", "arpa/")),
            "read only the input tensors and write only the output tensors; files and sockets are not allowed");

        // Blocks forging protocol lines on the runner's duplicated stdout descriptor, or reading its requests from stdin.
        yield return new StaticRule("raw-fd-io", "reads or writes raw file descriptors", StaticVerdict.Reject, Cuda,
            Names("read", "write", "pread", "pwrite", "pread64", "pwrite64", "readv", "writev", "dup", "dup2", "dup3", "fcntl", "ioctl",
                "sendfile", "splice", "vmsplice", "lseek"),
            "do not use file descriptors (printf already goes to the log); if a function of yours has one of these names, rename it");

        // Blocks paths into the runner's own process and shared memory (/proc/self/mem, /dev/shm), even as strings.
        yield return new StaticRule("system-path", "names a path under /proc, /dev or /sys", StaticVerdict.Reject, null,
            LiteralPatterns.SystemPaths,
            "do not name /proc, /dev or /sys paths, even in strings; a candidate has no use for them");

        // Blocks pulling files from outside the candidate into the build (the reference's saved outputs, via
        // #include or #embed) and computed includes whose path cannot be checked here.
        yield return new StaticRule("include-path", "includes a file outside the toolkit's headers", StaticVerdict.Reject, Cuda,
            IncludesOutsideTree,
            "include only headers by name (<cuda_fp16.h>, \"kforge_abi.h\"); no absolute or .. paths, no #embed, no #include MACRO");

        // Blocks loading code the static checks never saw (another .so, a cubin, runtime-compiled source) and looking
        // up harness or driver symbols by name.
        yield return new StaticRule("dynamic-loading", "loads code or looks up symbols at run time", StaticVerdict.Reject, Cuda,
            Any(Names("dlopen", "dlmopen", "dlsym", "dlvsym", "dladdr", "dlinfo", "dl_iterate_phdr", "__libc_dlopen_mode", "__libc_dlsym",
                    "RTLD_NEXT", "RTLD_DEFAULT", "cudaGetDriverEntryPoint", "cudaGetDriverEntryPointByVersion", "cuGetProcAddress",
                    "cuGetProcAddress_v2"),
                NamesStartingWith("nvrtc", "cuModuleLoad", "cuLibraryLoad", "cudaLibraryLoad", "cuLink"),
                HeadersNamed("dlfcn.h", "nvrtc.h", "link.h")),
            "write all device code in this file; loading libraries, modules or runtime-compiled code is not allowed");

        // Blocks patching the harness in memory (making its code or data writable, mapping memory over it).
        yield return new StaticRule("memory-protection", "changes memory mappings or protection", StaticVerdict.Reject, Cuda,
            Any(Names("mprotect", "pkey_mprotect", "mmap", "mmap64", "mremap", "munmap", "madvise", "process_vm_readv", "process_vm_writev"),
                HeadersNamed("sys/mman.h")),
            "use ctx->workspace for scratch memory; mapping or protecting memory is not allowed");

        // Blocks mapping another process's GPU memory (the worker's reference outputs) or exporting the candidate's.
        yield return new StaticRule("cuda-ipc", "uses CUDA interprocess or external memory", StaticVerdict.Reject, Cuda,
            NamesStartingWith("cudaIpc", "cuIpc", "cudaImportExternal", "cuImportExternal", "cuMemExportToShareableHandle",
                "cuMemImportFromShareableHandle"),
            "read only the tensors the entry receives; interprocess memory handles are not allowed");

        // Blocks capturing work once and replaying it, which skips launch costs the reference pays, or replays stale results.
        yield return new StaticRule("cuda-graph", "captures or launches CUDA graphs", StaticVerdict.Reject, Cuda,
            Any(NamesStartingWith("cudaGraph", "cuGraph", "cudaStreamBeginCapture", "cuStreamBeginCapture", "cudaStreamEndCapture",
                "cuStreamEndCapture"), Names("CUDAGraph")),
            "launch kernels directly on the harness stream on every call; CUDA graphs are not allowed");

        // Blocks allocation, device-wide sync and device or context switches in the entry: they synchronize the whole
        // device (hiding or distorting the timed work), leak across calls, or reset the harness's context.
        yield return new StaticRule("device-sync-or-alloc", "allocates, synchronizes the device or switches devices", StaticVerdict.Reject, Cuda,
            Any(Names("cudaDeviceSynchronize", "cudaThreadSynchronize", "cuCtxSynchronize", "cudaDeviceReset", "cudaSetDevice",
                    "cudaSetDeviceFlags", "cuCtxCreate", "cuCtxSetCurrent", "cuCtxPushCurrent", "cuCtxPopCurrent", "cuDevicePrimaryCtxReset",
                    "cuDevicePrimaryCtxRelease", "cudaHostAlloc", "cudaHostRegister"),
                NamesStartingWith("cudaMalloc", "cudaFree", "cuMemAlloc", "cuMemFree", "cuMemCreate", "cuMemHostAlloc"),
                QualifiedBy("cuda", "synchronize", "device_synchronize")),
            "use ctx->workspace(ctx, bytes) for scratch memory and leave synchronization to the harness (torch allocations in an extension)");

        // Blocks reading or recording the harness's timing events, or timing itself to tell timed calls from checked ones.
        yield return new StaticRule("harness-timing", "records or reads CUDA events", StaticVerdict.Reject, Cuda,
            NamesStartingWith("cudaEventRecord", "cudaEventElapsedTime", "cuEventRecord", "cuEventElapsedTime", "cudaEventSynchronize",
                "cuEventSynchronize", "cudaEventQuery", "cuEventQuery"),
            "the harness owns timing; remove event calls from the candidate");

        // Blocks host clocks: a candidate that can read time can skip work when it is being timed.
        yield return new StaticRule("host-clock", "reads a host clock", StaticVerdict.Reject, Cuda,
            Any(Names("clock_gettime", "gettimeofday", "chrono", "__rdtsc", "__rdtscp", "timespec_get", "ftime"),
                HeadersNamed("chrono", "sys/time.h", "sys/timeb.h", "x86intrin.h")),
            "the harness owns timing; remove clock reads from the candidate");

        // Blocks keeping data resident in L2 across calls (persisting access-policy windows, a persisting L2 carve-out),
        // which defeats the harness's cold-cache flush.
        yield return new StaticRule("persisting-l2", "sets a persisting L2 policy or device limits", StaticVerdict.Reject, Cuda,
            Names("cudaStreamSetAttribute", "cuStreamSetAttribute", "cudaCtxResetPersistingL2Cache", "cuCtxResetPersistingL2Cache",
                "accessPolicyWindow", "cudaAccessPropertyPersisting", "CU_ACCESS_PROPERTY_PERSISTING", "cudaLimitPersistingL2CacheSize",
                "CU_LIMIT_PERSISTING_L2_CACHE_SIZE", "cudaDeviceSetLimit", "cuCtxSetLimit", "cudaLaunchAttributeAccessPolicyWindow",
                "CU_LAUNCH_ATTRIBUTE_ACCESS_POLICY_WINDOW"),
            "do not change L2 residency or device limits; the harness flushes L2 before each timed call");

        // Blocks host or non-PTX assembly: raw system calls (int $0x80, syscall), .incbin of files, symbol renaming
        // through asm labels. Device PTX stays allowed.
        yield return new StaticRule("non-ptx-asm", "inline assembly that is not PTX", StaticVerdict.Reject, Cuda,
            NonPtxAsm,
            "inline asm must be PTX written as a string literal in place (asm volatile(\"mma.sync...\" : ...)); host assembly is not allowed");

        // Blocks reading the harness's private state (its timing or poison bookkeeping) through the opaque pointer.
        yield return new StaticRule("harness-internals", "touches ctx->harness", StaticVerdict.Reject, Cuda,
            Members("harness"),
            "ctx->harness belongs to the harness; use only ctx->workspace, ctx->cublas and ctx->device");

        // Blocks code that runs at library load, outside any timed or checked call.
        yield return new StaticRule("load-time-code", "runs code when the library loads", StaticVerdict.Reject, Cuda,
            Any(Names("constructor", "destructor", "__constructor__", "__destructor__"), LiteralPatterns.Containing(".init_array", ".preinit_array", ".fini_array", ".ctors", ".dtors")),
            "do all work inside the entry; load-time constructors are not allowed");

        // Blocks reaching a banned function under another name: weakref/alias/ifunc/symver attributes and #pragma weak
        // or redefine_extname bind a harmless-looking name to any symbol, which is written only as a string.
        yield return new StaticRule("symbol-alias", "binds a name to another symbol", StaticVerdict.Reject, Cuda,
            Any(Names("weakref", "__weakref__", "alias", "__alias__", "ifunc", "__ifunc__", "symver", "__symver__"), Pragmas("weak", "redefine_extname")),
            "call functions by their own names; symbol aliases and weak references are not allowed");

        // Trigraphs read differently per language mode (??/ before a newline continues the line in ISO C++14 only),
        // so code can hide from one reader and not the other.
        yield return new StaticRule("trigraph", "contains a trigraph", StaticVerdict.Reject, Cuda,
            source => source.TrigraphLines.Select(line => new RuleMatch(line, "??")),
            "write the characters themselves (# \\ [ ] { } | ^ ~), not ?? trigraphs");

        // Token pasting builds names no rule can read (CAT(cudaDevice, Synchronize)); shown so a reviewer looks.
        yield return new StaticRule("token-paste", "pastes tokens in a macro", StaticVerdict.Flag, Cuda,
            TokenPasting,
            "write names out in full; pasted names cannot be checked");

        // State that outlives a call is how results get cached or calls counted; honest uses exist, so it is a flag.
        yield return new StaticRule("persistent-state", "mutable state that outlives a call", StaticVerdict.Flag, Cuda,
            PersistentState,
            "keep no state between calls unless it cannot depend on the inputs (outputs are poisoned and inputs rotate between calls)");

        // evict_last and cache policies can keep a kernel's data in L2 through the harness's flush; shown with the timing.
        yield return new StaticRule("l2-priority-hint", "L2 eviction-priority hints", StaticVerdict.Flag, Cuda,
            Any(LiteralPatterns.Containing("evict_last", "createpolicy"), Names("apply_access_property", "associate_access_property", "access_property")),
            "cold-cache timings assume no data survives the L2 flush; drop evict_last hints unless they help within one call");

        // A C++ extension calling ATen compute (at::matmul, torch::conv2d, x.softmax()) is torch doing the work.
        yield return new StaticRule("torch-fallback-cpp", "calls ATen compute ops from C++", StaticVerdict.Flag, Cuda,
            TorchFallbackCpp,
            "compute in your own kernels; ATen ops make this a torch fallback (allocate outputs with torch::empty)")
        { PureCudaVerdict = StaticVerdict.Reject, Format = CandidateFormat.TorchExtension };
    }

    // cudaMemcpy, cudaMemset2D, cuMemcpyHtoD, cuMemsetD32 …, but not their Async forms, the cudaMemcpyKind values
    // (cudaMemcpyHostToDevice) or the parameter structs (cudaMemcpy3DParms).
    private static bool IsSynchronousCopy(string name) =>
        StartsWithAny(name, "cudaMemcpy", "cudaMemset", "cuMemcpy", "cuMemset")
        && !name.EndsWith("Async", StringComparison.Ordinal) && !name.EndsWith("Parms", StringComparison.Ordinal)
        && !name.EndsWith("Params", StringComparison.Ordinal) && !name.EndsWith("Attributes", StringComparison.Ordinal)
        && !name.StartsWith("cudaMemcpyKind", StringComparison.Ordinal) && !name.StartsWith("cudaMemcpyHostTo", StringComparison.Ordinal)
        && !name.StartsWith("cudaMemcpyDeviceTo", StringComparison.Ordinal) && !name.StartsWith("cudaMemcpyDefault", StringComparison.Ordinal);
}
