using KernelForge.Core;
using KernelForge.Evaluation.Tensors;

namespace KernelForge.Evaluation.Runner;

/// <summary>
/// More never-seen data for the fresh-memory call's timing (LoadedCandidate.RunFresh): the fresh inputs rotated by one
/// and by two elements. Values, and so their ranges and index validity, stay those of the fresh seed; the bytes are new.
/// </summary>
/// <remarks>
/// The three calls' data differ pairwise when some input is not periodic with a period of one or two elements (a period
/// of one implies one of two, so checking two suffices). A cache keyed on inputs that do not change then hits on the
/// later calls only by returning the first call's result, which the checked call (the first) has already judged.
/// </remarks>
internal static class FreshRotation
{
    /// <summary>Rotations used, in elements, in the order the calls run (after the unrotated, checked call).</summary>
    public static readonly IReadOnlyList<int> ShiftsElements = [1, 2];

    /// <summary>Bytes from the start compared to decide whether a rotation changes the data (a prefix that changes suffices).</summary>
    public const long ProbeBytes = 1L << 20;

    /// <summary>True when some input changes under rotations by one and by two elements, so the rotated calls see new data.</summary>
    public static bool Usable(IReadOnlyList<HostTensor> inputs) =>
        inputs.Any(input => Changes(input.Data, 2L * input.DataType.ElementBytes()));

    /// <summary>
    /// True when <paramref name="data"/> rotated left by <paramref name="shiftBytes"/> differs from itself within its
    /// first <see cref="ProbeBytes"/> bytes (false also when it is too short to rotate).
    /// </summary>
    public static bool Changes(HostBytes data, long shiftBytes)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (shiftBytes <= 0 || data.Length <= shiftBytes)
        {
            return false;
        }

        var prefix = new byte[Math.Min(data.Length, ProbeBytes + shiftBytes)];
        data.ForEachRange(0, prefix.Length, (offset, bytes) => bytes.CopyTo(prefix.AsSpan((int)offset)));
        return !prefix.AsSpan((int)shiftBytes).SequenceEqual(prefix.AsSpan(0, prefix.Length - (int)shiftBytes));
    }

    /// <summary>
    /// The copies that rotate <paramref name="lengthBytes"/> bytes left by <paramref name="shiftBytes"/>: byte <c>j</c> of
    /// the destination gets byte <c>(j + shift) mod length</c> of the source.
    /// </summary>
    public static IReadOnlyList<(long SourceOffset, long DestinationOffset, long Length)> Segments(long lengthBytes, long shiftBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lengthBytes);
        if (lengthBytes == 0)
        {
            return [];
        }

        var shift = ((shiftBytes % lengthBytes) + lengthBytes) % lengthBytes;
        return shift == 0
            ? [(0, 0, lengthBytes)]
            : [(shift, 0, lengthBytes - shift), (0, lengthBytes - shift, shift)];
    }
}
