using KernelForge.Translation.IR;
using static System.FormattableString;

namespace KernelForge.Translation.Frontend;

/// <summary>Which fused recurrent cell: the number of gate chunks, the state it updates, the tuple it returns.</summary>
internal enum RecurrentCell
{
    /// <summary><c>_thnn_fused_gru_cell</c>: chunks r, z, n; returns (hy, workspace).</summary>
    Gru,

    /// <summary><c>_thnn_fused_lstm_cell</c>: chunks i, f, g, o; returns (hy, cy, workspace).</summary>
    Lstm,
}

/// <summary>
/// The fused recurrent cells nn.GRUCell and nn.LSTMCell export on CUDA, after their two gate matmuls:
/// <c>_thnn_fused_gru_cell(input_gates, hidden_gates, hx, input_bias=None, hidden_bias=None)</c> and
/// <c>_thnn_fused_lstm_cell(input_gates, hidden_gates, cx, input_bias=None, hidden_bias=None)</c>.
/// </summary>
/// <remarks>
/// Gates are <c>[B, k·H]</c>, biases <c>[k·H]</c>, the state <c>[B, H]</c>. Each chunk is a <see cref="SliceOp"/> of the gates (and
/// of each bias), then one elementwise chain with ATen's CUDA kernel formulas (aten/src/ATen/native/cuda/RNN.cu), sums in its order:
/// GRU <c>r = σ(ig_r + hg_r + ib_r + hb_r)</c>, <c>z = σ(ig_z + hg_z + ib_z + hb_z)</c>, <c>n = tanh(ig_n + ib_n + r·(hg_n + hb_n))</c>,
/// <c>hy = n + z·(hx − n)</c>; LSTM <c>i, f, o = σ(ig + hg + ib + hb)</c>, <c>g = tanh(…)</c>, <c>cy = f·cx + i·g</c>, <c>hy = o·tanh(cy)</c>.
/// The workspace (saved activations for backward) is refused when read.
/// </remarks>
internal sealed partial class AtenImporter
{
    /// <summary>Gate and bias chunks already sliced, by source, start and extent along the last axis.</summary>
    private readonly Dictionary<(string Source, long Start, long Extent), IRValue> _cellChunks = [];

    private bool ImportFusedRecurrentCell(ExportedNode node, RecurrentCell cell)
    {
        var lstm = cell == RecurrentCell.Lstm;
        var ok = TryTensor(node, 0, "input_gates", out var inputGates) & TryTensor(node, 1, "hidden_gates", out var hiddenGates)
            & TryTensor(node, 2, lstm ? "cx" : "hx", out var state)
            & TryOptionalTensor(node, 3, "input_bias", out var inputBias) & TryOptionalTensor(node, 4, "hidden_bias", out var hiddenBias);
        if (!ok || !AreFloat32(node, [inputGates, hiddenGates, state, .. new[] { inputBias, hiddenBias }.OfType<IRValue>()]))
        {
            return false;
        }

        var chunks = lstm ? 4 : 3;
        if (inputGates.Shape.Rank != 2 || inputGates.Shape != hiddenGates.Shape || inputGates.Shape[1] % chunks != 0
            || state.Shape != Shape.Of([inputGates.Shape[0], inputGates.Shape[1] / chunks])
            || new[] { inputBias, hiddenBias }.Any(b => b is not null && b.Shape != Shape.Of([inputGates.Shape[1]])))
        {
            var stateName = lstm ? "cx" : "hx";
            _diagnostics.Error(node.Name, Invariant(
                $"{node.Target}: input_gates {inputGates.Shape}, hidden_gates {hiddenGates.Shape}, {stateName} {state.Shape}{BiasText(inputBias, "input_bias")}{BiasText(hiddenBias, "hidden_bias")} do not fit; torch needs both gates [B, {chunks}·H], {stateName} [B, H] and biases [{chunks}·H] (the {chunks} gate chunks of an {(lstm ? "LSTM" : "GRU")} cell)."));
            return false;
        }

        var hidden = state.Shape[1];
        var shape = state.Shape;
        IRValue Chunk(IRValue source, int index, string label)
        {
            // An unrolled RNN reads the same bias in every step: its chunks are sliced once.
            var key = (source.Name, index * hidden, hidden);
            if (!_cellChunks.TryGetValue(key, out var chunk))
            {
                chunk = SliceOf(node, source, source.Shape.Rank - 1, index * hidden, hidden, label);
                _cellChunks[key] = chunk;
            }

            return chunk;
        }

        var e = new Elementwise(this, node, shape);

        // ATen's order of the sums: input gate, hidden gate, input bias, hidden bias.
        IRValue Gate(int index, string label, UnaryOpKind activation)
        {
            var sum = e.Binary(BinaryOpKind.Add, Chunk(inputGates, index, "ig_" + label), Chunk(hiddenGates, index, "hg_" + label));
            sum = inputBias is null ? sum : e.Binary(BinaryOpKind.Add, sum, Chunk(inputBias, index, "ib_" + label));
            sum = hiddenBias is null ? sum : e.Binary(BinaryOpKind.Add, sum, Chunk(hiddenBias, index, "hb_" + label));
            return e.Unary(activation, sum);
        }

        var workspace = (default(IRValue), $"the workspace of the fused {(lstm ? "LSTM" : "GRU")} cell (for backward) is not supported");
        if (lstm)
        {
            var (input, forget, cellGate, output) = (Gate(0, "i", UnaryOpKind.Sigmoid), Gate(1, "f", UnaryOpKind.Sigmoid), Gate(2, "g", UnaryOpKind.Tanh), Gate(3, "o", UnaryOpKind.Sigmoid));
            var cy = Named(node, e.Binary(BinaryOpKind.Add, e.Binary(BinaryOpKind.Mul, forget, state), e.Binary(BinaryOpKind.Mul, input, cellGate)), "cy", 1);
            var hy = Named(node, e.Binary(BinaryOpKind.Mul, output, e.Unary(UnaryOpKind.Tanh, cy)), "hy", 0);
            _tuples[node.Name] = [(hy, null), (cy, null), workspace];
        }
        else
        {
            var (reset, update) = (Gate(0, "r", UnaryOpKind.Sigmoid), Gate(1, "z", UnaryOpKind.Sigmoid));
            var inputNew = Chunk(inputGates, 2, "ig_n");
            inputNew = inputBias is null ? inputNew : e.Binary(BinaryOpKind.Add, inputNew, Chunk(inputBias, 2, "ib_n"));
            var hiddenNew = Chunk(hiddenGates, 2, "hg_n");
            hiddenNew = hiddenBias is null ? hiddenNew : e.Binary(BinaryOpKind.Add, hiddenNew, Chunk(hiddenBias, 2, "hb_n"));
            var candidate = e.Unary(UnaryOpKind.Tanh, e.Binary(BinaryOpKind.Add, inputNew, e.Binary(BinaryOpKind.Mul, reset, hiddenNew)));
            var hy = Named(node, e.Binary(BinaryOpKind.Add, candidate, e.Binary(BinaryOpKind.Mul, update, e.Binary(BinaryOpKind.Sub, state, candidate))), "hy", 0);
            _tuples[node.Name] = [(hy, null), workspace];
        }

        return true;

        static string BiasText(IRValue? bias, string name) => bias is null ? "" : $", {name} {bias.Shape}";
    }

    /// <summary>A tuple element of <paramref name="node"/>: <paramref name="value"/> as a free view named after it, checked against torch's record.</summary>
    private IRValue Named(ExportedNode node, IRValue value, string label, int element)
    {
        var named = Emit(node, new ReshapeOp(value with { Name = FreshName($"{node.Name}_{label}") }, value.Name), isNodeResult: false);
        if (element < node.Results.Length)
        {
            CheckMeta(node, named, node.Results[element]);
        }

        return named;
    }
}
