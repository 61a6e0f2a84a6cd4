using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace KernelForge.Evaluation.Validation;

/// <summary>Decides whether an inline-asm template is PTX, statement by statement.</summary>
/// <remarks>
/// A statement is PTX when, after an optional label (<c>L1:</c>), predicate guard (<c>@p</c>, <c>@!%p1</c>) and
/// scope braces, it is empty, a <c>.reg</c> declaration, or starts with a PTX opcode from <see cref="Opcodes"/>
/// carrying a <c>.</c> suffix (<c>mov.u32</c>, <c>ldmatrix.sync…</c>). The suffix is what separates PTX from x86
/// (<c>mov %eax, %ebx</c>, <c>int $0x80</c>, <c>syscall</c>): x86 mnemonics have none, except the assembler's
/// <c>.s</c>/<c>.d8</c>/<c>.d32</c>, which are refused. Only <c>bra</c>, <c>exit</c> and <c>trap</c> may go bare.
/// <c>call</c> and <c>ret</c> are left out: a kernel's inline asm has no use for them and x86 shares both names.
/// Opcodes are from the PTX ISA 8.x instruction list.
/// </remarks>
internal static partial class PtxTemplate
{
    internal static readonly FrozenSet<string> Opcodes = FrozenSet.Create(StringComparer.Ordinal,
        "abs", "activemask", "add", "addc", "alloca", "and", "applypriority", "atom", "bar", "barrier", "bfe", "bfi",
        "bfind", "bmsk", "bra", "brev", "brx", "clusterlaunchcontrol", "clz", "cnot", "copysign", "cos", "cp", "cp.async",
        "createpolicy", "cvt", "cvta", "discard", "div", "dp2a", "dp4a", "elect", "ex2", "exit", "fence", "fma", "fns",
        "getctarank", "griddepcontrol", "isspacep", "istypep", "ld", "ldmatrix", "ldu", "lg2", "lop3", "mad", "mad24",
        "madc", "mapa", "match", "max", "mbarrier", "membar", "min", "mma", "mov", "movmatrix", "mul", "mul24",
        "multimem", "nanosleep", "neg", "not", "or", "pmevent", "popc", "prefetch", "prefetchu", "prmt", "rcp", "red",
        "redux", "rem", "rsqrt", "sad", "selp", "set", "setmaxnreg", "setp", "shf", "shfl", "shl", "shr", "sin", "slct",
        "sqrt", "st", "stackrestore", "stacksave", "stmatrix", "sub", "subc", "suld", "suq", "sured", "sust", "szext",
        "tanh", "tcgen05", "tensormap", "testp", "tex", "tld4", "trap", "txq", "vabsdiff", "vabsdiff2", "vabsdiff4",
        "vadd", "vadd2", "vadd4", "vavrg2", "vavrg4", "vmad", "vmax", "vmax2", "vmax4", "vmin", "vmin2", "vmin4",
        "vote", "vset", "vset2", "vset4", "vshl", "vshr", "vsub", "vsub2", "vsub4", "wgmma", "wmma", "xor");

    private static readonly FrozenSet<string> BareOpcodes = FrozenSet.Create(StringComparer.Ordinal, "bra", "exit", "trap");

    // GNU as accepts these as x86 mnemonic suffixes (operand-encoding and displacement hints); PTX has none of them.
    private static readonly FrozenSet<string> X86Suffixes = FrozenSet.Create(StringComparer.Ordinal, ".s", ".d8", ".d32");

    private static readonly FrozenSet<string> Directives = FrozenSet.Create(StringComparer.Ordinal, ".reg");

    /// <summary>The first statement of <paramref name="template"/> that is not PTX, trimmed; null when all are.</summary>
    public static string? FirstNonPtxStatement(string template)
    {
        var code = Comment().Replace(template, " ");
        foreach (var raw in code.Split([';', '\n', '\r']))
        {
            var statement = Prefix().Replace(raw, "").Trim();
            if (statement.Length > 0 && !IsPtxStatement(statement))
            {
                return raw.Trim();
            }
        }

        return null;
    }

    private static bool IsPtxStatement(string statement)
    {
        var word = Word().Match(statement).Value;
        if (word.StartsWith('.'))
        {
            return Directives.Contains(word);
        }

        var dot = word.IndexOf('.', StringComparison.Ordinal);
        var opcode = dot < 0 ? word : word[..dot];
        var suffix = dot < 0 ? "" : word[dot..];
        if (!Opcodes.Contains(opcode) || X86Suffixes.Contains(suffix))
        {
            return false;
        }

        return suffix.Length > 1 || BareOpcodes.Contains(opcode);
    }

    // PTX and GNU as both take // and /* */ comments.
    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex Comment();

    // Scope braces, labels (with GCC's %= unique number) and predicate guards in front of an instruction, in any order and number.
    [GeneratedRegex(@"^(?:\s+|[{}]|[A-Za-z_$%][\w$%=]*\s*:(?!:)|@!?%?[\w$]+)*")]
    private static partial Regex Prefix();

    [GeneratedRegex(@"^\.?[A-Za-z_][\w.:]*")]
    private static partial Regex Word();
}
