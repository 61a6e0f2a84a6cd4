using System.Collections.Immutable;
using KernelForge.Core;
using KernelForge.Translation.Diagnostics;
using KernelForge.Translation.IR;
using static System.FormattableString;

namespace KernelForge.Translation.Frontend;

/// <summary>Gives the ops of an <see cref="ExportedGraph"/> their meaning: core ATen nodes → IR operations.</summary>
/// <remarks>
/// Every problem becomes a diagnostic naming the node, never an exception. A node that failed is remembered, so the nodes
/// reading it do not report again. One importer translates one graph.
/// </remarks>
internal sealed partial class AtenImporter(DiagnosticBag diagnostics)
{
    private const string UnsupportedSuffix = "is not supported by the built-in translator yet";

    private readonly DiagnosticBag _diagnostics = diagnostics;
    private readonly List<GraphInput> _inputs = [];
    private readonly List<Operation> _operations = [];
    private readonly Dictionary<string, IRValue> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (IRValue? Value, string? Reason)[]> _tuples = new(StringComparer.Ordinal);
    private readonly HashSet<string> _failed = new(StringComparer.Ordinal);
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly HashSet<string> _exactIntegers = new(StringComparer.Ordinal);

    /// <summary>In-place ops that change a tensor's shape or strides rather than its values.</summary>
    private static readonly HashSet<string> InPlaceViewTargets = new(StringComparer.Ordinal)
    {
        "aten.transpose_.default", "aten.t_.default", "aten.squeeze_.dim", "aten.squeeze_.default", "aten.unsqueeze_.default", "aten.swapdims_.default",
    };

    /// <summary>Values the graph later reshapes in place (see <see cref="InPlaceViewTargets"/>): their recorded shape is the final one.</summary>
    private readonly HashSet<string> _reshapedInPlace = new(StringComparer.Ordinal);

    /// <summary>Every name the graph itself defines, so helper values never take one a later node will use.</summary>
    private readonly HashSet<string> _graphNames = new(StringComparer.Ordinal);

    /// <summary>The IR of <paramref name="graph"/>; null when any error was reported.</summary>
    public IRGraph? Import(ExportedGraph graph)
    {
        _graphNames.UnionWith(graph.Inputs.Select(i => i.Name).Concat(graph.Nodes.Select(n => n.Name)));
        _reshapedInPlace.UnionWith(graph.Nodes.Where(n => InPlaceViewTargets.Contains(n.Target) && n.Args.Length > 0 && n.Args[0] is NodeReference)
            .Select(n => ((NodeReference)n.Args[0]).Name));
        foreach (var input in graph.Inputs)
        {
            ImportInput(input);
        }

        var live = LiveNames(graph);
        for (var index = 0; index < graph.Nodes.Length; index++)
        {
            var node = graph.Nodes[index];
            if (!_names.Add(node.Name))
            {
                _diagnostics.Error(node.Name, "the graph defines this name twice; export the graph again.");
                continue;
            }

            if (!live.Contains(node.Name))
            {
                // Nothing the outputs depend on reads it: a training-mode batch norm's new running statistics and
                // num_batches_tracked + 1, buffer updates that torch.export returns and the worker leaves out of the
                // outputs. Skipped rather than imported, so an op the translator cannot lower does not refuse a
                // problem whose results never use it.
                continue;
            }

            if (!(TryImportInPlace(node, graph.Nodes, index) ?? ImportNode(node)))
            {
                _failed.Add(node.Name);
            }
        }

        var outputs = ImmutableArray.CreateBuilder<string>();
        foreach (var name in graph.Outputs)
        {
            if (Lookup(name, name) is { } value)
            {
                outputs.Add(value.Name);
            }
        }

        return _diagnostics.HasErrors ? null : new IRGraph([.. _inputs], [.. _operations], outputs.ToImmutable());
    }

    /// <summary>
    /// The outputs and every node they depend on, found backwards; in-place ops (a traced graph's <c>relu_</c>) count
    /// as live whatever reads them, since they change a tensor others read.
    /// </summary>
    private static HashSet<string> LiveNames(ExportedGraph graph)
    {
        var live = new HashSet<string>(graph.Outputs, StringComparer.Ordinal);
        for (var index = graph.Nodes.Length - 1; index >= 0; index--)
        {
            var node = graph.Nodes[index];
            if (!live.Contains(node.Name) && !InPlaceTarget.IsMatch(node.Target))
            {
                continue;
            }

            live.Add(node.Name);
            foreach (var argument in node.Args.Concat(node.Kwargs.Select(pair => pair.Value)))
            {
                AddReferences(argument, live);
            }
        }

        return live;
    }

    private static void AddReferences(NodeArgument argument, HashSet<string> names)
    {
        switch (argument)
        {
            case NodeReference reference:
                names.Add(reference.Name);
                break;
            case ListArgument list:
                foreach (var item in list.Items)
                {
                    AddReferences(item, names);
                }

                break;
        }
    }

    private void ImportInput(ExportedInput input)
    {
        _names.Add(input.Name);
        TensorRole? role = input.Role switch
        {
            "input" => TensorRole.Input,
            "parameter" => TensorRole.Parameter,
            "buffer" => TensorRole.Buffer,
            _ => null,
        };
        if (role is null)
        {
            _diagnostics.Error(input.Name, $"role \"{input.Role}\" is none of input, parameter, buffer.");
        }

        if (!DataTypes.TryParse(input.DataType, out var dataType))
        {
            _diagnostics.Error(input.Name, $"dtype \"{input.DataType}\" is not a known tensor type.");
        }
        else if (dataType is not (DataType.Float32 or DataType.Int64 or DataType.Bool))
        {
            _diagnostics.Error(input.Name, $"is a {input.DataType} tensor; the built-in translator handles float32 tensors (and int64 and bool ones converted to float32) only yet.");
        }

        var value = new IRValue(input.Name, new Shape(input.Shape), dataType);
        _values[input.Name] = value;
        _inputs.Add(new GraphInput(value, role ?? TensorRole.Input));
        if (dataType == DataType.Bool)
        {
            ImportBoolInput(value);
        }
    }

    /// <summary>
    /// A bool input (a mask): one kernel converts its bytes to float32 0/1, and every reader sees <c>converted != 0</c>, a bool
    /// expression that fuses like any comparison. Kernels read float32 operands only, so the byte tensor is read once, by the
    /// conversion.
    /// </summary>
    private void ImportBoolInput(IRValue input)
    {
        var asNumbers = new IRValue(FreshName(input.Name + "_float"), input.Shape, DataType.Float32);
        var zero = new IRValue(FreshName(input.Name + "_zero"), Shape.Scalar, DataType.Float32);
        var asBool = new IRValue(FreshName(input.Name + "_bool"), input.Shape, DataType.Bool);
        _operations.Add(new ConvertOp(asNumbers, input.Name) { Origins = [input.Name] });
        _operations.Add(new ConstantOp(zero, 0) { Origins = [input.Name] });
        _operations.Add(new BinaryOp(asBool, BinaryOpKind.NotEqual, asNumbers.Name, zero.Name) { Origins = [input.Name] });
        _values[input.Name] = asBool;
    }

    private bool ImportNode(ExportedNode node) => node.Target switch
    {
        "getitem" or "operator.getitem" or "_operator.getitem" => ImportGetItem(node),
        _ when UnaryTargets.TryGetValue(node.Target, out var kind) => ImportUnary(node, kind),
        _ when BinaryTargets.TryGetValue(node.Target, out var kind) => ImportBinary(node, kind),
        "aten.gelu.default" => ImportGelu(node),
        "aten.bitwise_not.default" or "aten.bitwise_and.Tensor" or "aten.bitwise_or.Tensor" => ImportBoolBitwise(node),
        "aten.where.self" or "aten.where.ScalarSelf" or "aten.where.ScalarOther" or "aten.where.Scalar" => ImportWhere(node),
        "aten.masked_fill.Scalar" or "aten.masked_fill.Tensor" => ImportMaskedFill(node),
        "aten.scalar_tensor.default" => ImportScalarTensor(node),
        "aten.elu.default" or "aten.selu.default" or "aten.leaky_relu.default" or "aten.softplus.default" or "aten.hardsigmoid.default"
            or "aten.hardswish.default" or "aten.mish.default" or "aten.threshold.default" => ImportBranchActivation(node),
        "aten.clamp.default" or "aten.clamp_min.default" or "aten.clamp_max.default" or "aten.hardtanh.default" => ImportClamp(node),
        "aten.clamp.Tensor" or "aten.clamp_min.Tensor" or "aten.clamp_max.Tensor" => ImportClampTensor(node),
        "aten.sum.dim_IntList" or "aten.sum.default" => ImportReduction(node, ReductionKind.Sum),
        "aten.mean.dim" or "aten.mean.default" => ImportReduction(node, ReductionKind.Mean),
        "aten.amax.default" or "aten.max.default" => ImportReduction(node, ReductionKind.Max),
        "aten.amin.default" or "aten.min.default" => ImportReduction(node, ReductionKind.Min),
        "aten.max.dim" => ImportExtremumDim(node, ReductionKind.Max, ReductionKind.ArgMax),
        "aten.min.dim" => ImportExtremumDim(node, ReductionKind.Min, ReductionKind.ArgMin),
        "aten.prod.dim_int" or "aten.prod.default" => ImportProd(node),
        "aten.argmax.default" => ImportArgExtremum(node, ReductionKind.ArgMax),
        "aten.argmin.default" => ImportArgExtremum(node, ReductionKind.ArgMin),
        "aten.var.correction" or "aten.var.dim" or "aten.var.default" => ImportVariance(node, ReductionKind.Variance),
        "aten.std.correction" or "aten.std.dim" or "aten.std.default" => ImportVariance(node, ReductionKind.StandardDeviation),
        "aten.linalg_vector_norm.default" => ImportVectorNorm(node),
        "aten.logsumexp.default" => ImportLogSumExp(node),
        "aten.max_pool1d_with_indices.default" or "aten.max_pool2d_with_indices.default" or "aten.max_pool3d_with_indices.default"
            or "aten.max_pool1d.default" or "aten.max_pool2d.default" or "aten.max_pool3d.default" => ImportMaxPool(node),
        "aten.avg_pool1d.default" or "aten.avg_pool2d.default" or "aten.avg_pool3d.default" => ImportAvgPool(node),
        "aten.adaptive_avg_pool1d.default" or "aten._adaptive_avg_pool2d.default" or "aten._adaptive_avg_pool3d.default" => ImportAdaptivePool(node, PoolKind.Average),
        "aten.adaptive_max_pool1d.default" or "aten.adaptive_max_pool2d.default" or "aten.adaptive_max_pool3d.default" => ImportAdaptivePool(node, PoolKind.Max),
        "aten._softmax.default" or "aten.softmax.int" => ImportSoftmax(node, isLog: false),
        "aten._log_softmax.default" or "aten.log_softmax.int" => ImportSoftmax(node, isLog: true),
        "aten.native_layer_norm.default" or "aten.layer_norm.default" => ImportLayerNorm(node),
        "aten.view.default" or "aten._unsafe_view.default" or "aten.reshape.default" or "aten._reshape_alias.default" => ImportReshape(node),
        "aten.unsqueeze.default" or "aten.squeeze.dim" or "aten.squeeze.dims" or "aten.squeeze.default" => ImportSqueeze(node),
        "aten.clone.default" or "aten.alias.default" or "aten.detach.default" or "aten.lift_fresh_copy.default" or "aten._to_copy.default" => ImportCopy(node),
        "aten.expand.default" => ImportExpand(node),
        "aten.repeat.default" => ImportRepeat(node),
        "aten.slice.Tensor" => ImportSlice(node),
        "aten.select.int" => ImportSelect(node),
        "aten.cat.default" => ImportCat(node),
        "aten.stack.default" => ImportStack(node),
        "aten.split.Tensor" or "aten.split_with_sizes.default" or "aten.unsafe_split.Tensor" or "aten.unsafe_split_with_sizes.default" => ImportSplit(node),
        "aten.pixel_shuffle.default" => ImportPixelShuffle(node),
        "aten.channel_shuffle.default" or "aten.native_channel_shuffle.default" => ImportChannelShuffle(node),
        "aten.pixel_unshuffle.default" => ImportPixelUnshuffle(node),
        "aten.unbind.int" => ImportUnbind(node),
        "aten.index_select.default" => ImportIndexSelect(node),
        "aten.index.Tensor" => ImportIndexTensor(node),
        "aten.embedding.default" => ImportEmbedding(node),
        "aten.upsample_nearest1d.default" or "aten.upsample_nearest2d.default" or "aten.upsample_nearest3d.default"
            or "aten.upsample_nearest1d.vec" or "aten.upsample_nearest2d.vec" or "aten.upsample_nearest3d.vec" => ImportUpsampleNearest(node),
        "aten.upsample_linear1d.default" or "aten.upsample_bilinear2d.default" or "aten.upsample_trilinear3d.default"
            or "aten.upsample_linear1d.vec" or "aten.upsample_bilinear2d.vec" or "aten.upsample_trilinear3d.vec" => ImportUpsampleLinear(node),
        "aten.diag.default" => ImportDiag(node),
        "aten.dropout.default" or "aten.native_dropout.default" => ImportDropout(node),
        "aten.prelu.default" or "aten._prelu_kernel.default" => ImportPrelu(node),
        "aten.mse_loss.default" or "aten.smooth_l1_loss.default" or "aten.huber_loss.default" => ImportPointwiseLoss(node),
        "aten.constant_pad_nd.default" => ImportConstantPad(node),
        "aten.reflection_pad1d.default" or "aten.reflection_pad2d.default" or "aten.reflection_pad3d.default" => ImportBorderPad(node, reflect: true),
        "aten.replication_pad1d.default" or "aten.replication_pad2d.default" or "aten.replication_pad3d.default" => ImportBorderPad(node, reflect: false),
        "aten.full.default" or "aten.full_like.default" or "aten.zeros.default" or "aten.ones.default" or "aten.zeros_like.default" or "aten.ones_like.default"
            or "aten.new_zeros.default" or "aten.new_ones.default" or "aten.new_full.default"
            or "aten.empty.memory_format" or "aten.empty_permuted.default" or "aten.empty_like.default" or "aten.fill.Scalar" => ImportFilled(node),
        "aten.arange.default" or "aten.arange.start" or "aten.arange.start_step" => ImportArange(node),
        "aten._thnn_fused_gru_cell.default" => ImportFusedRecurrentCell(node, RecurrentCell.Gru),
        "aten._thnn_fused_lstm_cell.default" => ImportFusedRecurrentCell(node, RecurrentCell.Lstm),
        "aten.tril.default" or "aten.triu.default" => ImportTriangle(node),
        "aten.scaled_dot_product_attention.default" or "aten._scaled_dot_product_efficient_attention.default"
            or "aten._scaled_dot_product_flash_attention.default" or "aten._scaled_dot_product_flash_attention_for_cpu.default"
            or "aten._scaled_dot_product_cudnn_attention.default" => ImportAttention(node),
        "aten.mm.default" or "aten.bmm.default" => ImportMatmul(node),
        "aten.addmm.default" or "aten.baddbmm.default" => ImportAddmm(node),
        "aten.matmul.default" => ImportMatmulComposite(node),
        "aten.t.default" or "aten.transpose.int" or "aten.permute.default" => ImportTranspose(node),
        "aten._native_batch_norm_legit_no_training.default" or "aten._native_batch_norm_legit.no_stats" or "aten._native_batch_norm_legit.default"
            or "aten.native_batch_norm.default" or "aten.batch_norm.default" or "aten._native_batch_norm_legit_functional.default" => ImportBatchNorm(node),
        "aten.native_group_norm.default" or "aten.group_norm.default" => ImportGroupNorm(node),
        "aten.cumsum.default" => ImportScan(node, ScanKind.Sum),
        "aten.cumprod.default" => ImportScan(node, ScanKind.Prod),
        "aten.cummax.default" => ImportScan(node, ScanKind.Max),
        "aten.cummin.default" => ImportScan(node, ScanKind.Min),
        "aten.flip.default" => ImportFlip(node),
        "aten.roll.default" => ImportRoll(node),
        "aten.gather.default" => ImportGather(node),
        "aten.take_along_dim.default" => ImportTakeAlongDim(node),
        "aten.nll_loss_forward.default" => ImportNllLoss(node),
        "aten.multi_margin_loss.default" => ImportMultiMarginLoss(node),
        "aten.convolution.default" or "aten.conv1d.default" or "aten.conv2d.default" or "aten.conv3d.default"
            or "aten.conv_transpose1d.default" or "aten.conv_transpose2d.input" or "aten.conv_transpose3d.input" => ImportConvolution(node),
        _ => Unsupported(node),
    };

    /// <summary>Registers <paramref name="operation"/>, whose result is the value of <paramref name="node"/> unless it is a helper.</summary>
    private IRValue Emit(ExportedNode node, Operation operation, bool isNodeResult = true)
    {
        _operations.Add(operation with { Origins = [node.Name] });
        _names.Add(operation.Result.Name);
        if (isNodeResult)
        {
            _values[node.Name] = operation.Result;
            if (!node.IsTuple)
            {
                CheckMeta(node, operation.Result, node.Results[0]);
            }
        }

        return operation.Result;
    }

    /// <summary>A value name not yet used in the graph, derived from <paramref name="stem"/>.</summary>
    private string FreshName(string stem)
    {
        var name = stem;
        for (var i = 1; _graphNames.Contains(name) || !_names.Add(name); i++)
        {
            name = Invariant($"{stem}_{i}");
        }

        return name;
    }

    private void CheckMeta(ExportedNode node, IRValue value, ExportedTensorMeta meta)
    {
        // A tensor later reshaped in place (x.transpose_(0, 1), as torch 1.13's GRU trace does) carries the metadata it ends
        // with, not the one it was made with.
        if (meta.Shape is { } shape && !shape.AsSpan().SequenceEqual(value.Shape.Extents.AsSpan()) && !_reshapedInPlace.Contains(node.Name))
        {
            _diagnostics.Error(node.Name, $"torch recorded shape {new Shape(shape)} but the translator computed {value.Shape} for {node.Target}; this is a translator bug, please report it with the graph.");
        }

        if (meta.DataType is { } dtype && dtype != value.DataType.ToProtocolName())
        {
            if (IsExactInteger(node, dtype, value))
            {
                _exactIntegers.Add(node.Name);
                return;
            }

            if (IsLabelResult(node, dtype, value))
            {
                _labels.Add(value.Name);
                return;
            }

            _diagnostics.Error(node.Name, $"{node.Target} returns {dtype} here; the built-in translator handles float32 results only yet.");
        }
    }

    /// <summary>
    /// Integer tensors built from <c>arange</c> (index masks) are carried as float32, exact below 2^24: an arange, and a
    /// view or an add, sub, mul, neg, abs, min, max, remainder or fmod of such values and integral numbers, may be int64 in
    /// torch's records (a remainder of integers is exact in float32 as in int64: <c>|r| &lt; |divisor|</c>; only a modulo by
    /// zero differs, NaN here where torch raises); so may a node the importer declared exact before emitting it (an integer
    /// fill, a count of trues). Labels
    /// converted from int64 tensors have rules of their own (<see cref="IsLabelResult"/>); anything else of an integer type
    /// is refused by the caller.
    /// </summary>
    private bool IsExactInteger(ExportedNode node, string dtype, IRValue value) =>
        dtype is "int64" or "int32" && value.DataType == DataType.Float32
        && (_exactIntegers.Contains(node.Name) || node.Target.StartsWith("aten.arange.", StringComparison.Ordinal)
            || (IntegerPreservingTargets.Contains(node.Target)
                && node.Args.OfType<NodeReference>().All(reference => _exactIntegers.Contains(reference.Name))
                && node.Args.OfType<NumberArgument>().All(number => number.Value == Math.Floor(number.Value))));

    private static readonly HashSet<string> IntegerPreservingTargets = new(StringComparer.Ordinal)
    {
        "aten.add.Tensor", "aten.add.Scalar", "aten.sub.Tensor", "aten.sub.Scalar", "aten.mul.Tensor", "aten.mul.Scalar",
        "aten.neg.default", "aten.abs.default", "aten.maximum.default", "aten.minimum.default", "aten.remainder.Scalar",
        "aten.remainder.Tensor", "aten.fmod.Scalar", "aten.fmod.Tensor", "aten.unsqueeze.default",
        "aten.view.default", "aten.reshape.default", "aten._unsafe_view.default", "aten.expand.default", "aten.squeeze.dim",
        "aten.squeeze.dims", "aten.clone.default", "aten.alias.default", "aten.permute.default", "aten.t.default",
        "aten.transpose.int", "aten.slice.Tensor",
    };

    private IRValue? Lookup(string name, string user)
    {
        if (_values.TryGetValue(name, out var value))
        {
            return value;
        }

        if (_failed.Contains(name))
        {
            return null;
        }

        _diagnostics.Error(user, _tuples.ContainsKey(name)
            ? $"uses the tuple %{name} as a tensor; only its elements (getitem) can be used."
            : $"reads %{name}, which is not defined before it.");
        return null;
    }

    private bool Unsupported(ExportedNode node, string? detail = null)
    {
        _diagnostics.Error(node.Name, detail is null ? $"{node.Target} {UnsupportedSuffix}." : $"{node.Target} {UnsupportedSuffix}: {detail}.");
        return false;
    }
}
