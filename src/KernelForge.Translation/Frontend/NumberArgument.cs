namespace KernelForge.Translation.Frontend;

/// <summary>A Python int or float (non-finite floats arrive as <c>{"float": "inf"}</c>).</summary>
/// <remarks><c>IsInteger</c>: True for a JSON number written without a fraction or exponent (a Python int).</remarks>
public sealed record NumberArgument(double Value, bool IsInteger) : NodeArgument;
