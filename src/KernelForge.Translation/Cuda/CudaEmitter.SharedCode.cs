using System.Globalization;
using System.Text.RegularExpressions;

namespace KernelForge.Translation.Cuda;

/// <summary>One copy of each distinct kernel: an operation whose code equals an earlier one's but for its kernel names launches the earlier kernels.</summary>
/// <remarks>
/// An unrolled recurrence (torch.export writes a 256-step LSTM as 256 copies of one cell) lowers to thousands of kernels
/// that differ only in their names and the pointers the entry passes; on 2026-12-07 such a file (10.6 MB, 6,670 kernels)
/// ran past nvcc's 120 s deadline on the H100 host. Comparing an operation's text with its kernel names and comment lines
/// taken out keeps the file to the distinct kernels, so its size follows the cell, not the step count. The entry still
/// launches once per operation, and every operation keeps its own row in the kernel list, saying whose code it runs.
/// </remarks>
public sealed partial class CudaEmitter
{
    private readonly Dictionary<string, int> _firstKernelOfCode = new(StringComparer.Ordinal);

    private void ShareIdenticalCode(int textMark, int kernelMark, int entryMark)
    {
        var count = _emitted.Count - kernelMark;
        if (count == 0)
        {
            return;
        }

        var code = NormalizedCode(_kernels.TextFrom(textMark), kernelMark, count);
        if (!_firstKernelOfCode.TryGetValue(code, out var first))
        {
            _firstKernelOfCode[code] = kernelMark;
            return;
        }

        _kernels.Truncate(textMark);
        for (var i = entryMark; i < _entryLines.Count; i++)
        {
            _entryLines[i] = Renumber(_entryLines[i], kernelMark, count, k => (first + k - kernelMark).ToString(CultureInfo.InvariantCulture));
        }

        for (var i = 0; i < count; i++)
        {
            var kernel = _emitted[kernelMark + i];
            _emitted[kernelMark + i] = kernel with { Strategy = $"{kernel.Strategy}; runs {_emitted[first + i].Name}'s code" };
        }
    }

    /// <summary>The code without comment lines, with the names of kernels <paramref name="kernelMark"/> onward numbered from 0.</summary>
    private static string NormalizedCode(string text, int kernelMark, int count)
    {
        var lines = text.Split('\n').Where(line => !line.TrimStart().StartsWith("//", StringComparison.Ordinal));
        return Renumber(string.Join('\n', lines), kernelMark, count, k => "#" + (k - kernelMark).ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Rewrites the number of each kernel name <c>k{n}_…</c> (also inside <c>launch_k{n}_…</c>, <c>gemm_k{n}_…</c>) with n in the operation's range.</summary>
    private static string Renumber(string text, int kernelMark, int count, Func<int, string> number) =>
        KernelNumber().Replace(text, match =>
        {
            var k = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            return k >= kernelMark && k < kernelMark + count ? "k" + number(k) + "_" : match.Value;
        });

    [GeneratedRegex(@"(?<![0-9A-Za-z])k([0-9]+)_")]
    private static partial Regex KernelNumber();
}
