using System.Collections.Immutable;
using KernelForge.Translation.Diagnostics;
using KernelForge.Translation.IR;
using static System.FormattableString;

namespace KernelForge.Translation.Cuda;

/// <summary>Writes one KernelForge ABI <c>.cu</c> file for an optimized <see cref="IRGraph"/>: one kernel per fused group, launched in order on the harness's stream.</summary>
/// <remarks>
/// Output is deterministic: names come from the graph, kernels are numbered in operation order, and literals go through
/// <see cref="CudaLiteral"/>, so the same graph and schedules give the same bytes. Shapes are static: the entry checks them
/// and the kernels have them as constants. Partial files hold the lowerings per op family.
/// </remarks>
public sealed partial class CudaEmitter
{
    /// <summary>Named in every emitted header; bump it when emitted code changes for the same IR.</summary>
    public const string GeneratorVersion = "0.1.0";

    /// <summary>Grid-stride loops cap their grids here; each thread then loops over more elements.</summary>
    private const long MaxGridBlocks = 65535;

    private readonly IRGraph _graph;
    private readonly Func<KernelKind, Schedule> _scheduleFor;
    private readonly IReadOnlyDictionary<string, IRValue> _values;
    private readonly StoragePlan _storage;
    private readonly CudaWriter _kernels = new();
    private readonly List<string> _entryLines = [];
    private readonly HashSet<string> _pointersRead = new(StringComparer.Ordinal);
    private readonly List<EmittedKernel> _emitted = [];
    private readonly DiagnosticBag _diagnostics = new();
    private DeviceHelpers _helpers;
    private bool _usesCublas;
    private bool _usesTensorCores;

    private CudaEmitter(IRGraph graph, Func<KernelKind, Schedule> scheduleFor)
    {
        _graph = graph;
        _scheduleFor = scheduleFor;
        _values = graph.Values();
        _storage = new StoragePlan(graph);
    }

    /// <summary>Emits <paramref name="graph"/> (after the pass pipeline), scheduling each kernel with <paramref name="scheduleFor"/> (default: each kind's own-kernel default, no library call).</summary>
    /// <exception cref="ArgumentException">A schedule is outside what any kernel can run (block size not a multiple of 32, …).</exception>
    public static CudaEmission Emit(IRGraph graph, Func<KernelKind, Schedule>? scheduleFor = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return new CudaEmitter(graph, scheduleFor ?? (kind => ScheduleSpace.For(kind).Default)).Run();
    }

    private CudaEmission Run()
    {
        var hash = IRPrinter.Hash(_graph);
        foreach (var operation in _graph.Operations)
        {
            var mark = (Text: _kernels.Length, Kernels: _emitted.Count, Entry: _entryLines.Count);
            EmitOperation(operation);
            ShareIdenticalCode(mark.Text, mark.Kernels, mark.Entry);
        }

        if (_diagnostics.HasErrors)
        {
            return new CudaEmission(null, _emitted, _diagnostics, hash);
        }

        var file = new CudaWriter();
        WriteHeader(file, hash);
        file.Line("#include \"kforge_abi.h\"");
        if (_usesCublas)
        {
            file.Line("#include <cublas_v2.h>");
        }

        if (_usesTensorCores)
        {
            file.Line("#include <mma.h>");
        }

        file.Line("#include <math.h>");
        file.Line();
        if (_usesCudnn)
        {
            foreach (var line in CudnnDeclarations)
            {
                file.Line(line);
            }

            file.Line();
        }

        file.Line("namespace {");
        file.Line();
        WriteHelpers(file, _helpers | DeviceHelpers.HasShape);
        file.Lines(_kernels.ToString());
        file.Line("}  // namespace");
        file.Line();
        WriteEntry(file);
        return new CudaEmission(file.ToString(), _emitted, _diagnostics, hash);
    }

    private void EmitOperation(Operation operation)
    {
        switch (operation)
        {
            case ReshapeOp reshape:
                _entryLines.Add($"// {reshape.Result.Name} is {reshape.Source} viewed as {reshape.Result.Shape}: no kernel.");
                break;
            case ConstantOp:
                break;  // inlined into every reader by FuseElementwise; left only if nothing reads it
            case FusedPointwiseOp { Result.DataType: not Core.DataType.Float32 } boolean:
                _diagnostics.Error(boolean.Origins.FirstOrDefault(), $"{boolean.Result} is a bool tensor that must be stored (returned, or read by a non-elementwise op); the built-in translator keeps bools inside elementwise chains only yet.");
                break;
            case FusedPointwiseOp fused:
                EmitPointwise(fused);
                break;
            case ReductionOp reduction:
                EmitReduction(reduction);
                break;
            case RowSoftmaxOp softmax:
                EmitSoftmax(softmax);
                break;
            case RowLayerNormOp layerNorm:
                EmitLayerNorm(layerNorm);
                break;
            case RowRmsNormOp rmsNorm:
                EmitRmsNorm(rmsNorm);
                break;
            case MatmulOp matmul:
                EmitMatmul(matmul);
                break;
            case PoolOp pool:
                EmitPool(pool);
                break;
            case AdaptivePoolOp adaptivePool:
                EmitAdaptivePool(adaptivePool);
                break;
            case UpsampleNearestOp upsample:
                EmitUpsampleNearest(upsample);
                break;
            case UpsampleLinearOp linear:
                EmitUpsampleLinear(linear);
                break;
            case ConvolutionOp convolution:
                EmitConvolution(convolution);
                break;
            case AxisSoftmaxOp axisSoftmax:
                EmitAxisSoftmax(axisSoftmax);
                break;
            case ChannelNormOp channelNorm:
                EmitChannelNorm(channelNorm);
                break;
            case ScanOp scan:
                EmitScan(scan);
                break;
            case FlipOp flip:
                EmitFlip(flip);
                break;
            case TransposeOp transpose:
                EmitPermute(transpose, transpose.Source, [.. Enumerable.Range(0, transpose.Result.Shape.Rank - 2), transpose.Result.Shape.Rank - 1, transpose.Result.Shape.Rank - 2]);
                break;
            case PermuteOp permute:
                EmitPermute(permute, permute.Source, permute.Order);
                break;
            case SliceOp slice:
                EmitSlice(slice);
                break;
            case DiagonalOp diagonal:
                EmitDiagonal(diagonal);
                break;
            case IotaOp iota:
                EmitIota(iota);
                break;
            case ConvertOp convert:
                if (_values[convert.Source].DataType == KernelForge.Core.DataType.Bool)
                {
                    EmitCopy(convert, "convert", [convert.Source], "bool (one byte, 0 or 1) to float32 0 or 1", w =>
                        w.Line("y[o] = __ldg(x0 + o) != 0 ? 1.0f : 0.0f;"), sourceTypes: [InputCType(KernelForge.Core.DataType.Bool)]);
                }
                else
                {
                    EmitCopy(convert, "convert", [convert.Source], "int64 to float32, rounded as torch rounds", w =>
                        w.Line("y[o] = (float)__ldg(x0 + o);"), sourceTypes: ["int64_t"]);
                }

                break;
            case GatherOp gather:
                EmitGather(gather);
                break;
            case RowSoftmaxPickOp pick:
                EmitSoftmaxPick(pick);
                break;
            case PadOp pad:
                EmitPad(pad);
                break;
            case ConcatOp concat:
                EmitConcat(concat);
                break;
            default:
                _diagnostics.Error(operation.Origins.FirstOrDefault(), $"{operation.Describe()} has no CUDA lowering; run PassPipeline.Default (FuseElementwise) before emitting.");
                break;
        }
    }

    private void WriteHeader(CudaWriter file, string hash)
    {
        file.Line($"// Generated by the KernelForge built-in translator {GeneratorVersion}; IR hash {hash}. Regenerate rather than edit.");
        file.Line("//");
        foreach (var input in _graph.Inputs)
        {
            file.Line($"// input   {input.Value} ({input.Role.ToString().ToLowerInvariant()})");
        }

        foreach (var output in _graph.Outputs)
        {
            file.Line($"// output  {_values[output]}");
        }

        foreach (var kernel in _emitted)
        {
            file.Line($"// {kernel.Name}: {kernel.Summary}");
            file.Line($"//   {kernel.Strategy}; {kernel.Schedule}");
        }

        file.Line("// Returns 1000 for a wrong tensor count, 1001 for an input (1002 an output) of another dtype, shape or layout,");
        if (_usesCublas || _usesCudnn)
        {
            var handles = (_usesCublas, _usesCudnn) switch { (true, true) => "cuBLAS or cuDNN handle is", (true, false) => "cuBLAS handle is", _ => "cuDNN handle is" };
            file.Line($"// 1003 when the workspace cannot be had, 1004 when the {handles} bound to another stream than the harness's,");
            if (_usesCudnn)
            {
                file.Line("// 1005 when no cuDNN algorithm fits 1 GiB of workspace, 10000 + the cudnnStatus_t of a failed cuDNN call,");
            }

            file.Line(_usesCublas
                ? "// 1100 + the cublasStatus_t of a failed cuBLAS call, else the CUDA error of the launches."
                : "// else the CUDA error of the launches.");
        }
        else
        {
            file.Line("// 1003 when the workspace cannot be had, else the CUDA error of the launches.");
        }
    }

    private Schedule ScheduleOf(KernelKind kind)
    {
        var schedule = _scheduleFor(kind);
        if (schedule.BlockSize is < 32 or > 1024 || schedule.BlockSize % 32 != 0 || schedule.VectorWidth is not (1 or 4) || schedule.ItemsPerThread < 1)
        {
            throw new ArgumentException($"Schedule ({schedule}) for {kind} kernels cannot run: block size a multiple of 32 up to 1024, vector width 1 or 4, items 1 or more.");
        }

        if (schedule.Lowering == Lowering.Library && !ScheduleSpace.For(kind, allowLibraries: true).Lowerings.Contains(Lowering.Library))
        {
            throw new ArgumentException($"Schedule ({schedule}) asks for a library call, but {kind} kernels have no library lowering (only matmuls, on cuBLAS, and convolutions, on cuDNN, do).");
        }

        if (!ScheduleSpace.For(kind).MathModes.Contains(schedule.Math))
        {
            throw new ArgumentException($"Schedule ({schedule}) asks for {schedule.Math} math, which {kind} kernels do not declare (only convolutions take TF32 tensor cores: eager torch runs them in TF32, not matmuls).");
        }

        return schedule;
    }

    private string NextKernelName(string what) => $"k{_emitted.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)}_{what}";

    private void AddKernel(string name, KernelKind kind, Schedule schedule, Operation operation, string strategy) =>
        _emitted.Add(new EmittedKernel(name, kind, schedule, $"{operation.Result} = {operation.Describe()}", strategy, operation.Origins));

    /// <summary>Records the launcher call for the entry; <paramref name="values"/> are the pointers passed, outputs last.</summary>
    private void AddLaunch(string name, params string[] values) => _entryLines.Add(LaunchLine(name, values));

    /// <summary>The entry's call of <c>launch_{name}</c> with <paramref name="values"/>' pointers (outputs last), which the entry then declares.</summary>
    private string LaunchLine(string name, params string[] values) => LaunchCall(name, Pointers(values));

    /// <summary>The entry's call of <c>launch_{name}</c> with these pointer expressions, then the stream.</summary>
    private static string LaunchCall(string name, IEnumerable<string> pointers) => $"launch_{name}({string.Join(", ", pointers)}, stream);";

    /// <summary>The pointer variables of <paramref name="values"/>, marked as read so that the entry declares them.</summary>
    private string[] Pointers(params string[] values)
    {
        var pointers = values.Select(_storage.Pointer).ToArray();
        _pointersRead.UnionWith(pointers);
        return pointers;
    }

    private static string Rows(long rows) => rows > int.MaxValue ? throw new InvalidOperationException("checked by the caller") : CudaLiteral.Format(rows);

    private bool CheckRows(Operation operation, long rows)
    {
        if (rows <= int.MaxValue && rows > 0)
        {
            return true;
        }

        _diagnostics.Error(operation.Origins.FirstOrDefault(), Invariant($"{operation.Describe()} has {rows} rows; one block per row allows 1 to 2^31 - 1."));
        return false;
    }

    private static ImmutableArray<string> Names(params string?[] names) => [.. names.OfType<string>()];
}
