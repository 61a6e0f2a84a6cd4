using System.Collections.Frozen;

namespace KernelForge.Evaluation.Validation;

internal static partial class CudaPatterns
{
    // Calls whose stream parameter defaults to 0 (the legacy default stream) in cuda_runtime_api.h / cuda_runtime.h,
    // with the 0-based index of that parameter.
    private static readonly FrozenDictionary<string, int> StreamParameterIndex = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["cudaMemcpyAsync"] = 4,
        ["cudaMemsetAsync"] = 3,
        ["cudaMemcpy2DAsync"] = 7,
        ["cudaMemset2DAsync"] = 5,
        ["cudaMemset3DAsync"] = 3,
        ["cudaMemcpy3DAsync"] = 1,
        ["cudaMemcpyToSymbolAsync"] = 5,
        ["cudaMemcpyFromSymbolAsync"] = 5,
        ["cudaMemcpyPeerAsync"] = 5,
        ["cudaMemPrefetchAsync"] = 3,
        ["cudaLaunchKernel"] = 5,
        ["cudaLaunchCooperativeKernel"] = 5,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // Spellings of "no stream": the legacy default stream.
    private static readonly FrozenSet<string> NullStreams = FrozenSet.Create(StringComparer.Ordinal, "0", "0L", "0l", "0u", "0U", "0x0", "nullptr", "NULL", "cudaStreamDefault");

    // Tokens a cast of 0 to a stream is made of: (cudaStream_t)0, static_cast<cudaStream_t>(0).
    private static readonly FrozenSet<string> CastTokens = FrozenSet.Create(StringComparer.Ordinal, "(", ")", "<", ">", "cudaStream_t", "CUstream", "static_cast", "reinterpret_cast");

    /// <summary>
    /// Work that goes on the legacy default stream instead of the harness's: <c>kernel&lt;&lt;&lt;grid, block&gt;&gt;&gt;</c>
    /// with no stream or a null one, and async copies, memsets and <c>cudaLaunchKernel</c> with the stream left out
    /// (it defaults to 0) or null.
    /// </summary>
    public static IEnumerable<RuleMatch> DefaultStreamWork(ScannedSource source)
    {
        var tokens = source.Tokens;
        foreach (var i in Occurrences(source, ["<<<"]))
        {
            var arguments = Arguments(tokens, i + 1, "<<<", ">>>");
            if (arguments.Count < 4 || IsNullStream(arguments[3]))
            {
                yield return new RuleMatch(tokens[i].Line, arguments.Count < 4 ? "<<<…>>> without a stream" : "<<<…>>> on stream " + Join(arguments[3]));
            }
        }

        foreach (var i in Occurrences(source, StreamParameterIndex.Keys).Where(i => !IsMemberName(tokens, i) && At(tokens, i + 1).IsPunctuator("(")))
        {
            var index = StreamParameterIndex[tokens[i].Text];
            var arguments = Arguments(tokens, i + 2, "(", ")");
            if (arguments.Count <= index || IsNullStream(arguments[index]))
            {
                yield return new RuleMatch(tokens[i].Line, tokens[i].Text + (arguments.Count <= index ? " without a stream" : " on stream " + Join(arguments[index])));
            }
        }
    }

    /// <summary>
    /// The entry's stream parameter reassigned (<c>stream = 0;</c>, a shadowing <c>cudaStream_t stream = …</c>) or
    /// its address taken inside <c>KFORGE_ENTRY</c>: launches on "stream" would then leave the harness's stream.
    /// </summary>
    public static IEnumerable<RuleMatch> EntryStreamReassigned(ScannedSource source)
    {
        var tokens = source.Tokens;
        foreach (var entry in Occurrences(source, ["KFORGE_ENTRY"]).Where(i => At(tokens, i + 1).IsPunctuator("(")))
        {
            var parameters = Arguments(tokens, entry + 2, "(", ")");
            var stream = parameters.FirstOrDefault(parameter => parameter.Any(token => token.IsName("cudaStream_t") || token.IsName("CUstream")))
                ?.LastOrDefault(token => token.IsIdentifier).Text;
            var open = entry + 2 + parameters.Sum(parameter => parameter.Count + 1);
            if (stream is null || !At(tokens, open).IsPunctuator("{"))
            {
                continue;
            }

            var close = MatchingBrace(tokens, open);
            foreach (var i in Occurrences(source, [stream]).Where(i => i > open && i < close && !IsMemberName(tokens, i)))
            {
                var assigned = At(tokens, i + 1).IsPunctuator("=") && !At(tokens, i + 2).IsPunctuator("=");
                var addressTaken = At(tokens, i - 1).IsPunctuator("&") && !(At(tokens, i - 2).IsIdentifier || At(tokens, i - 2).IsPunctuator(")"));
                if (assigned || addressTaken)
                {
                    yield return new RuleMatch(tokens[i].Line, (addressTaken ? "&" : "") + stream + (assigned ? " =" : ""));
                }
            }
        }
    }

    // The comma-separated arguments from `start` up to the matching close, each a list of tokens.
    private static List<List<SourceToken>> Arguments(IReadOnlyList<SourceToken> tokens, int start, string open, string close)
    {
        var arguments = new List<List<SourceToken>> { new() };
        var depth = 0;
        for (var k = start; k < tokens.Count; k++)
        {
            var token = tokens[k];
            if (depth == 0 && token.IsPunctuator(close))
            {
                break;
            }

            if (token.IsPunctuator("(") || token.IsPunctuator("[") || token.IsPunctuator("{") || token.IsPunctuator(open))
            {
                depth++;
            }
            else if (token.IsPunctuator(")") || token.IsPunctuator("]") || token.IsPunctuator("}") || token.IsPunctuator(close))
            {
                depth--;
                if (depth < 0)
                {
                    break;
                }
            }

            if (depth == 0 && token.IsPunctuator(","))
            {
                arguments.Add([]);
            }
            else
            {
                arguments[^1].Add(token);
            }
        }

        return arguments[^1].Count == 0 && arguments.Count == 1 ? [] : arguments;
    }

    private static bool IsNullStream(List<SourceToken> argument)
    {
        var core = argument.Where(token => !CastTokens.Contains(token.Text)).ToList();
        return core.Count == 1 && NullStreams.Contains(core[0].Text);
    }

    private static string Join(List<SourceToken> argument) => string.Concat(argument.Select(token => token.Text));
}
