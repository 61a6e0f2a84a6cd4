using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using KernelForge.Core;
using KernelForge.Evaluation.Tensors;

namespace KernelForge.Evaluation.Pipeline;

/// <summary>
/// Compares two runs of a candidate on the same inputs: outputs that move between runs by more than rounding mean a
/// race (a missing barrier, blocks depending on each other) or a read of memory nothing wrote.
/// </summary>
/// <remarks>
/// Honest kernels that reduce with atomics may round differently from run to run, so floats may differ by
/// <see cref="RelativeTolerance"/> of the output's largest magnitude; integers and booleans must match exactly.
/// </remarks>
public static class RepeatabilityCheck
{
    /// <summary>Run-to-run slack for floats, relative to the output's largest magnitude: far above atomic-order rounding (~1e-7), far below a race.</summary>
    public const double RelativeTolerance = 1e-5;

    /// <summary>Null when <paramref name="second"/> repeats <paramref name="first"/>; otherwise what moved.</summary>
    public static string? Compare(HostTensor first, HostTensor second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.DataType != second.DataType || !first.Shape.SequenceEqual(second.Shape))
        {
            return "the two runs produced outputs of different shapes or dtypes";
        }

        return first.DataType switch
        {
            DataType.Float32 => CompareFloats<float>(first.Data, second.Data),
            DataType.Float64 => CompareFloats<double>(first.Data, second.Data),
            _ => first.Data.SequenceEqual(second.Data) ? null : "the two runs produced different bytes",
        };
    }

    // Chunk by chunk (HostBytes): an output may hold more than one array can.
    private static string? CompareFloats<T>(HostBytes firstBytes, HostBytes secondBytes)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var scale = 0.0;
        foreach (var chunk in firstBytes.Chunks)
        {
            foreach (var value in MemoryMarshal.Cast<byte, T>(chunk))
            {
                var magnitude = Math.Abs(double.CreateChecked(value));
                if (double.IsFinite(magnitude) && magnitude > scale)
                {
                    scale = magnitude;
                }
            }
        }

        var allowed = Math.Max(RelativeTolerance * scale, double.Epsilon);
        var elementBytes = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        var moved = 0L;
        var worst = -1L;
        var (worstFirst, worstSecond, worstDifference) = (0.0, 0.0, 0.0);
        HostBytes.ForEachSegment(firstBytes, secondBytes, (offset, firstSpan, secondSpan) =>
        {
            var first = MemoryMarshal.Cast<byte, T>(firstSpan);
            var second = MemoryMarshal.Cast<byte, T>(secondSpan);
            for (var index = 0; index < first.Length; index++)
            {
                var (a, b) = (double.CreateChecked(first[index]), double.CreateChecked(second[index]));
                var same = double.IsNaN(a) ? double.IsNaN(b) : a == b || Math.Abs(a - b) <= allowed;
                if (!same)
                {
                    moved++;
                    var difference = double.IsNaN(a) || double.IsNaN(b) ? double.PositiveInfinity : Math.Abs(a - b);
                    if (worst < 0 || difference > worstDifference)
                    {
                        (worst, worstFirst, worstSecond, worstDifference) = ((offset / elementBytes) + index, a, b, difference);
                    }
                }
            }
        });

        return moved == 0
            ? null
            : string.Create(CultureInfo.InvariantCulture,
                $"{moved} of {firstBytes.Length / elementBytes} elements changed between two runs on the same inputs (worst at flat index {worst}: {worstFirst:G6} then {worstSecond:G6}; allowed {allowed:G3}): a race or a read of uninitialized memory");
    }
}
