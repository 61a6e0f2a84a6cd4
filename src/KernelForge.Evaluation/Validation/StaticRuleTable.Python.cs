using static KernelForge.Evaluation.Validation.PythonPatterns;

namespace KernelForge.Evaluation.Validation;

public static partial class StaticRuleTable
{
    // Rules for KernelBench-style Python candidates (ModelNew). The C++ in their string literals gets the CUDA rules;
    // these cover the Python around it. Names resolve through imports (import torch.cuda as tc; tc.Event is torch.cuda.Event).
    private static IEnumerable<StaticRule> PythonRules()
    {
        const SourceLanguage Python = SourceLanguage.Python;
        string[] processOs = ["os.system", "os.popen", "os.fork", "os.forkpty", "os.kill", "os.killpg", "os.posix_spawn", "os.posix_spawnp"];
        string[] allowedOs = ["os.environ", "os.path", "os.getenv", "os.sep", "os.pathsep", "os.linesep", "os.cpu_count", "os.getcwd", "os.name", "os.fspath"];
        string[] allowedSys = ["sys", "sys.path", "sys.version", "sys.version_info", "sys.platform", "sys.maxsize", "sys.byteorder", "sys.float_info"];

        // Compiler and linker flags that read files (-include), load code (-fplugin, -B, -ccbin) or rewrite symbols (-Wl,--wrap).
        string[] dangerousBuildFlags = ["-Wl,", "-include", "-imacros", "--pre-include", "-fplugin", "-specs", "--compiler-bindir", "-ccbin", "-B"];

        // Blocks escaping the extension runner: child processes, signals.
        yield return new StaticRule("py-process-control", "spawns processes or handles signals", StaticVerdict.Reject, Python,
            CudaPatterns.Any(Modules("subprocess", "pty", "signal", "pexpect", "sh"), Modules(processOs),
                References(reference => reference.Name.StartsWith("os.exec", StringComparison.Ordinal) || reference.Name.StartsWith("os.spawn", StringComparison.Ordinal))),
            "ModelNew builds its extension and calls it; remove process and signal code");

        // Blocks the rest of os (file descriptors, dup2 onto the protocol stream, chdir, remove …); environment and paths stay.
        yield return new StaticRule("py-os", "uses os beyond environ and path", StaticVerdict.Reject, Python,
            References(reference => IsUnder(reference.Name, ["os"]) && !IsUnder(reference.Name, allowedOs) && !IsUnder(reference.Name, processOs)
                && !reference.Name.StartsWith("os.exec", StringComparison.Ordinal) && !reference.Name.StartsWith("os.spawn", StringComparison.Ordinal) && reference.Name != "os"),
            "use only os.environ, os.path and os.getenv");

        // Blocks reading saved outputs or other state from disk, and talking to other processes.
        yield return new StaticRule("py-file-or-socket", "opens files or sockets", StaticVerdict.Reject, Python,
            CudaPatterns.Any(Names("open"), Calls("input"), MethodCalls("open", "tofile", "read_text", "read_bytes", "write_text", "write_bytes"),
                Modules("io", "pathlib", "shutil", "tempfile", "pickle", "marshal", "shelve", "mmap", "glob", "fileinput", "socket", "socketserver",
                    "ssl", "http", "urllib", "urllib3", "requests", "httpx", "aiohttp", "ftplib", "smtplib", "xmlrpc", "safetensors", "h5py",
                    "pandas", "scipy.io", "numpy.lib.format", "torch.load", "torch.save", "torch.from_file", "numpy.load", "numpy.save", "numpy.savez", "numpy.savez_compressed",
                    "numpy.fromfile", "numpy.memmap", "numpy.loadtxt", "numpy.savetxt", "numpy.genfromtxt")),
            "read only forward()'s arguments and return its outputs; files and sockets are not allowed (load_inline takes the source as a string)");

        // Blocks work on threads or processes the timing does not see.
        yield return new StaticRule("py-threads", "starts threads or processes", StaticVerdict.Reject, Python,
            Modules("threading", "_thread", "multiprocessing", "torch.multiprocessing", "concurrent", "asyncio", "sched"),
            "do the work in forward() on the calling thread");

        // Blocks native code the static checks never saw, and other GPU runtimes that bypass the extension.
        yield return new StaticRule("py-dynamic-loading", "loads native code or other GPU runtimes", StaticVerdict.Reject, Python,
            Modules("ctypes", "cffi", "importlib", "imp", "pkgutil", "runpy", "torch.ops.load_library", "torch.classes.load_library",
                "cuda", "pycuda", "cupy", "numba"),
            "build the kernels with torch.utils.cpp_extension.load_inline from source in this file");

        // Blocks names spelled at run time, which every other rule would miss: eval/exec, __import__, getattr on
        // modules, dunder traversal (__globals__, __subclasses__), gc/inspect (finding the reference's tensors).
        yield return new StaticRule("py-dynamic-code", "runs or looks up code by name at run time", StaticVerdict.Reject, Python,
            CudaPatterns.Any(Names("eval", "exec", "compile", "__import__", "globals", "locals", "vars", "breakpoint"),
                Modules("builtins", "gc", "inspect", "code", "codeop", "types", "weakref"),
                References(reference => IsUnder(reference.Name, ["sys"]) && !IsUnder(reference.Name, allowedSys)),
                References(reference => reference.Name.EndsWith(".*", StringComparison.Ordinal) || IsPrivateTorch(reference.Name)),
                AttributeFunctionsOutsideSelf, Dunders),
            "write names out in code: no eval/exec/compile, no getattr on modules, no dunder attributes beyond __init__/__name__/__file__, no star imports, no private torch APIs (torch._C …)");

        // Blocks the non-default-stream exploit from Python: work on a stream the harness's events do not bracket.
        yield return new StaticRule("py-other-stream-or-event", "creates or switches CUDA streams or events", StaticVerdict.Reject, Python,
            CudaPatterns.Any(Modules("torch.cuda.Stream", "torch.cuda.stream", "torch.cuda.Event", "torch.cuda.ExternalStream", "torch.cuda.set_stream",
                    "torch.cuda.StreamContext", "torch.cuda.default_stream", "torch.cuda.streams", "torch.Stream", "torch.Event", "torch.cuda.Stream"),
                MethodCalls("wait_stream", "wait_event", "record_event")),
            "launch on the current stream (torch.cuda.current_stream()); do not create or switch streams or events");

        // Blocks capture-once, replay-later graphs.
        yield return new StaticRule("py-cuda-graph", "captures or replays CUDA graphs", StaticVerdict.Reject, Python,
            Modules("torch.cuda.graph", "torch.cuda.graphs", "torch.cuda.CUDAGraph", "torch.cuda.make_graphed_callables", "torch.cuda.graph_pool_handle"),
            "call the extension directly in forward(); CUDA graphs are not allowed");

        // Blocks device-wide synchronization and device switches inside the candidate.
        yield return new StaticRule("py-device-sync", "synchronizes or switches the device", StaticVerdict.Reject, Python,
            Modules("torch.cuda.synchronize", "torch.cuda.set_device", "torch.cuda.device"),
            "leave synchronization to the harness; do not switch devices");

        // Blocks clocks and profilers: a candidate that can read time can skip work when timed.
        yield return new StaticRule("py-host-clock", "reads clocks or profiles", StaticVerdict.Reject, Python,
            ModuleUses("time", "timeit", "datetime", "torch.utils.benchmark", "torch.profiler", "torch.autograd.profiler"),
            "the harness owns timing; remove clock reads from the candidate");

        // Blocks monkeypatching the harness's tools: torch.cuda.Event = …, torch.cuda.synchronize = …,
        // time.perf_counter = …, torch.backends flags that change the reference's numerics.
        yield return new StaticRule("py-monkeypatch", "assigns to an attribute of a module", StaticVerdict.Reject, Python,
            ModuleAttributeAssignments,
            "do not assign to attributes of torch or other modules; keep state on self");

        // Blocks build flags that pull in files or code the checks never saw, or wrap symbols at link time.
        yield return new StaticRule("py-build-flags", "passes include, plugin or linker-script flags to the build", StaticVerdict.Reject, Python,
            source => LiteralPatterns.Runs(source)
                .Where(run => dangerousBuildFlags.Any(flag => run.Value.TrimStart().StartsWith(flag, StringComparison.Ordinal)))
                .Select(run => new RuleMatch(run.Line, "\"" + run.Value + "\"")),
            "keep extra_cflags/extra_cuda_cflags to optimization and architecture flags (-O3, -arch, --use_fast_math)");

        // The brief of a candidate is its own kernels: torch compute at call time is a fallback, shown (and refused
        // under pure-cuda) so a speedup is not credited to the extension.
        yield return new StaticRule("py-torch-fallback", "torch computes at call time", StaticVerdict.Flag, Python,
            TorchFallback,
            "falls back to torch: compute in the extension and call only it in forward()")
        { PureCudaVerdict = StaticVerdict.Reject, PureCudaMessage = "the pure-cuda policy forbids torch compute in forward(); do the work in the extension's kernels" };
    }

    // torch._C, torch.cuda._lazy_call …: private torch APIs reach stream switching and internals no rule names.
    private static bool IsPrivateTorch(string name) =>
        IsUnder(name, ["torch"]) && name.Split('.').Skip(1).Any(part => part.StartsWith('_') && !part.StartsWith("__", StringComparison.Ordinal));
}
