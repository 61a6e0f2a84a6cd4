using KernelForge.Translation.IR;

namespace KernelForge.Translation.Cuda;

/// <summary>How a one-pass float reduction accumulates: the identity, what each element contributes, how partial results merge.</summary>
/// <remarks>
/// <c>Element</c> maps a loaded value to its term (<c>fabsf(v)</c> for L1); <c>Combine</c> joins two terms or partials;
/// <c>Infix</c> tells whether <c>Combine</c> writes an operator (so nested terms need parentheses) or a call.
/// </remarks>
internal sealed record Accumulator(
    string Identity,
    Func<string, string>? Element,
    Func<string, string, string> Combine,
    Func<string, string, string> Merge,
    bool Infix,
    string BlockReduce,
    DeviceHelpers ElementHelpers,
    DeviceHelpers BlockHelpers)
{
    /// <summary>True when an element is its own term (no temporary needed to use it twice).</summary>
    public bool IsPlainElement => Element is null;

    public static Accumulator For(ReductionKind kind) => kind switch
    {
        ReductionKind.Sum or ReductionKind.Mean => Additive(null),
        ReductionKind.L1Norm => Additive(v => $"fabsf({v})"),
        ReductionKind.L2Norm => Additive(v => $"{v} * {v}"),
        ReductionKind.Max => Selecting("kf_max_nan", "-INFINITY", "block_max_nan", DeviceHelpers.MaxNan, DeviceHelpers.BlockMaxNan),
        ReductionKind.Min => Selecting("kf_min_nan", "INFINITY", "block_min_nan", DeviceHelpers.MinNan, DeviceHelpers.BlockMinNan),
        ReductionKind.Prod => new("1.0f", null, (a, b) => $"{a} * {b}", (acc, t) => $"{acc} *= {t}", Infix: true, "block_prod", DeviceHelpers.None, DeviceHelpers.BlockProd),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a one-pass float reduction"),
    };

    /// <summary>The statement adding <paramref name="term"/> to <paramref name="acc"/> (without <c>;</c>).</summary>
    public string Step(string acc, string term) => Merge(acc, term);

    /// <summary>The term of a loaded <c>float4 v</c>: <c>(t(v.x) ∘ t(v.y)) ∘ (t(v.z) ∘ t(v.w))</c>.</summary>
    public string Vector4Term()
    {
        var (x, y, z, w) = (Term("v.x"), Term("v.y"), Term("v.z"), Term("v.w"));
        return Combine(Group(Combine(x, y)), Group(Combine(z, w)));
    }

    /// <summary>Writes the step for one loaded value, through a temporary when the element is used twice.</summary>
    public void WriteScalarStep(CudaWriter w, string load)
    {
        if (Element is null)
        {
            w.Line($"{Step("acc", load)};");
            return;
        }

        w.Line($"const float v = {load};");
        w.Line($"{Step("acc", Element("v"))};");
    }

    private string Term(string value) => Element is null ? value : Element(value);

    private string Group(string expression) => Infix ? $"({expression})" : expression;

    private static Accumulator Additive(Func<string, string>? element) =>
        new("0.0f", element, (a, b) => $"{a} + {b}", (acc, t) => $"{acc} += {t}", Infix: true, "block_sum", DeviceHelpers.None, DeviceHelpers.BlockSum);

    private static Accumulator Selecting(string function, string identity, string block, DeviceHelpers element, DeviceHelpers blockHelpers) =>
        new(identity, null, (a, b) => $"{function}({a}, {b})", (acc, t) => $"{acc} = {function}({acc}, {t})", Infix: false, block, element, blockHelpers);
}
