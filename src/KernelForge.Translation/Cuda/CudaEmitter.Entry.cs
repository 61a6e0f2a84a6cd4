using KernelForge.Core;
using static System.FormattableString;

namespace KernelForge.Translation.Cuda;

/// <summary>The ABI entry: checks the tensors it is given, points at inputs, outputs and workspace, and launches every kernel on <c>stream</c>.</summary>
public sealed partial class CudaEmitter
{
    private void WriteEntry(CudaWriter file)
    {
        file.Open("KFORGE_ENTRY(const kf_tensor* inputs, int num_inputs, kf_tensor* outputs, int num_outputs, cudaStream_t stream,\n             kf_context* ctx)");
        file.Line($"if (num_inputs != {_graph.Inputs.Length} || num_outputs != {_graph.Outputs.Length}) return 1000;");
        for (var i = 0; i < _graph.Inputs.Length; i++)
        {
            WriteShapeCheck(file, Invariant($"inputs[{i}]"), Invariant($"kInput{i}Shape"), _graph.Inputs[i].Value.Shape.Extents, _graph.Inputs[i].Value.DataType, 1001);
        }

        for (var k = 0; k < _graph.Outputs.Length; k++)
        {
            var output = _values[_graph.Outputs[k]];
            WriteShapeCheck(file, Invariant($"outputs[{k}]"), Invariant($"kOutput{k}Shape"), output.Shape.Extents, output.DataType, 1002);
        }

        for (var i = 0; i < _graph.Inputs.Length; i++)
        {
            var pointer = _storage.Pointer(_graph.Inputs[i].Value.Name);
            if (_pointersRead.Contains(pointer))
            {
                var type = InputCType(_graph.Inputs[i].Value.DataType);
                file.Line($"const {type}* {pointer} = static_cast<const {type}*>(inputs[{i}].data);");
            }
        }

        for (var k = 0; k < _graph.Outputs.Length; k++)
        {
            var type = CType(_values[_storage.OutputRoots[k]].DataType);
            file.Line($"{type}* {_storage.Pointer(_storage.OutputRoots[k])} = static_cast<{type}*>(outputs[{k}].data);");
        }

        if (_storage.WorkspaceSlots.Count > 0)
        {
            file.Line($"char* workspace = static_cast<char*>(ctx == nullptr ? nullptr : ctx->workspace(ctx, {_storage.WorkspaceBytes}));");
            file.Line("if (workspace == nullptr) return 1003;");
            foreach (var (value, offset) in _storage.WorkspaceSlots)
            {
                var type = CType(_values[value].DataType);
                file.Line($"{type}* {_storage.Pointer(value)} = reinterpret_cast<{type}*>(workspace + {offset});");
            }
        }
        else if (!_usesCublas && !_usesCudnn)
        {
            file.Line("(void)ctx;");
        }

        foreach (var line in _entryLines)
        {
            file.Line(line);
        }

        file.Line("return (int)cudaGetLastError();");
        file.Close();
    }

    /// <summary>The C element type of a stored value: float32 everywhere, int64 for argmax/argmin results.</summary>
    private static string CType(DataType dataType) => dataType switch
    {
        DataType.Float32 => "float",
        DataType.Int64 => "int64_t",
        _ => throw new InvalidOperationException($"No kernel stores {dataType.ToProtocolName()} values; the frontend should have refused it."),
    };

    /// <summary>The C element type an input is read as: bool inputs (torch stores one byte, 0 or 1) as unsigned char, which <c>__ldg</c> loads.</summary>
    private static string InputCType(DataType dataType) => dataType == DataType.Bool ? "unsigned char" : CType(dataType);

    private static void WriteShapeCheck(CudaWriter file, string tensor, string constant, IReadOnlyList<long> extents, DataType dataType, int code)
    {
        var dtype = "KF_" + dataType.ToProtocolName().ToUpperInvariant();
        if (extents.Count == 0)
        {
            file.Line($"if (!has_shape(&{tensor}, {dtype}, 0, nullptr)) return {code};");
            return;
        }

        file.Line($"static const int64_t {constant}[{extents.Count}] = {{{string.Join(", ", extents.Select(CudaLiteral.Format))}}};");
        file.Line($"if (!has_shape(&{tensor}, {dtype}, {extents.Count}, {constant})) return {code};");
    }
}
