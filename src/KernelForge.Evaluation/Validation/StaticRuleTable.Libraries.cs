using System.Text.RegularExpressions;
using static KernelForge.Evaluation.Validation.CudaPatterns;

namespace KernelForge.Evaluation.Validation;

public static partial class StaticRuleTable
{
    // Library use is recorded, never hidden: a speedup that comes from cuBLAS is a cuBLAS speedup. Under the
    // pure-CUDA policy the vendor math libraries (closed binaries doing the heavy lifting) are rejected; header-only
    // template libraries compiled with the candidate (CUTLASS, CUB, Thrust) and cuRAND stay recorded.
    private static IEnumerable<StaticRule> LibraryRules()
    {
        yield return Library("uses-cublas", "cuBLAS", "the GEMM",
            Any(Identifiers(name => StartsWithAny(name, "cublas", "CUBLAS_", "getCurrentCUDABlasHandle") && !StartsWithAny(name, "cublasLt", "CUBLASLT")),
                Members("cublas"), Headers(name => name.StartsWith("cublas", StringComparison.Ordinal) && !name.StartsWith("cublasLt", StringComparison.Ordinal))),
            "cublas", pureCudaRejects: true);
        yield return Library("uses-cublaslt", "cuBLASLt", "the GEMM",
            Any(NamesStartingWith("cublasLt", "CUBLASLT", "getCurrentCUDABlasLtHandle"), HeadersStartingWith("cublasLt")),
            "cublasLt", pureCudaRejects: true);
        yield return Library("uses-cudnn", "cuDNN", "the convolution or normalization",
            Any(NamesStartingWith("cudnn", "CUDNN_"), Members("cudnn"), HeadersStartingWith("cudnn")), "cudnn", pureCudaRejects: true);
        yield return Library("uses-cufft", "cuFFT", "the transform",
            Any(NamesStartingWith("cufft", "CUFFT_"), HeadersStartingWith("cufft")), "cufft", pureCudaRejects: true);
        yield return Library("uses-cusparse", "cuSPARSE", "the sparse kernel",
            Any(NamesStartingWith("cusparse", "CUSPARSE_"), HeadersStartingWith("cusparse")), "cusparse", pureCudaRejects: true);
        yield return Library("uses-cusolver", "cuSOLVER", "the solver",
            Any(NamesStartingWith("cusolver", "CUSOLVER_"), HeadersStartingWith("cusolver")), "cusolver", pureCudaRejects: true);
        yield return Library("uses-curand", "cuRAND", "",
            Any(NamesStartingWith("curand", "CURAND_"), HeadersStartingWith("curand")), "curand", pureCudaRejects: false);
        yield return Library("uses-cutlass", "CUTLASS", "",
            Any(Qualifiers("cutlass", "cute"), HeadersStartingWith("cutlass/", "cute/")), linkName: null, pureCudaRejects: false);
        yield return Library("uses-thrust", "Thrust", "",
            Any(Qualifiers("thrust"), HeadersStartingWith("thrust/")), linkName: null, pureCudaRejects: false);
        yield return Library("uses-cub", "CUB", "",
            Any(Qualifiers("cub"), HeadersStartingWith("cub/")), linkName: null, pureCudaRejects: false);
    }

    // One library rule for both languages: C++ names and headers, or in Python a link flag (-lcublas) in a literal.
    private static StaticRule Library(string id, string library, string work, Func<ScannedSource, IEnumerable<RuleMatch>> cpp, string? linkName, bool pureCudaRejects)
    {
        var linkFlag = linkName is null ? null : new Regex("^-l" + linkName + @"(?![\w])", RegexOptions.CultureInvariant);
        IEnumerable<RuleMatch> Match(ScannedSource source) => source.Language == SourceLanguage.Cuda
            ? cpp(source)
            : linkFlag is null ? []
            : LiteralPatterns.Runs(source).Where(run => linkFlag.IsMatch(run.Value)).Select(run => new RuleMatch(run.Line, run.Value));

        return new StaticRule(id, "uses " + library, StaticVerdict.Record, Language: null, Match, $"uses {library} (recorded with the result)")
        {
            Library = library,
            // The vendor libraries pure-CUDA rejects are host APIs whose calls must be linked; the others are header-only here.
            LinkName = pureCudaRejects ? linkName : null,
            PureCudaVerdict = pureCudaRejects ? StaticVerdict.Reject : null,
            PureCudaMessage = pureCudaRejects ? $"the pure-cuda policy forbids {library}; write {work} yourself or pass --library-policy allow-libraries" : null,
        };
    }
}
