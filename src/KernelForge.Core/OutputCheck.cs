namespace KernelForge.Core;

/// <summary>How one output of one input set compares with the float64 reference.</summary>
/// <remarks>
/// Errors are against the float64 reference. <see cref="ReferenceFloat32MaxAbsError"/> is what eager float32 itself
/// achieves on the same inputs, the yardstick of the strict policy. <see cref="PoisonedElements"/> counts elements
/// that still hold the harness's poison pattern.
/// </remarks>
public sealed record OutputCheck(
    int OutputIndex,
    bool Passed,
    FailureKind? Failure,
    string? Message,
    double? MaxAbsError,
    double? MaxRelError,
    double? RelativeL2Error,
    double? ReferenceFloat32MaxAbsError,
    double? AllowedMaxAbsError,
    long PoisonedElements,
    long NonFiniteElements,
    long ElementCount);
