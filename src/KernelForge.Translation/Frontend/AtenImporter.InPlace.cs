using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace KernelForge.Translation.Frontend;

/// <summary>
/// In-place ops (<c>aten.sqrt_.default</c>, <c>aten.add_.Tensor</c>), which torch.export never leaves (it functionalizes)
/// but a graph traced without functionalization does (make_fx on torch 1.13): imported as their functional op, after
/// which the mutated name means the new value.
/// </summary>
/// <remarks>
/// That reading is right only when nothing else sees the old storage change: the mutated tensor must be a value an
/// earlier node computed (mutating a graph input would change the caller's tensor, which the ABI forbids), neither a view
/// of another tensor nor the source of an earlier view (either would alias the mutation). Otherwise the node is refused
/// with a diagnostic that says which.
/// </remarks>
internal sealed partial class AtenImporter
{
    private static readonly Regex InPlaceTarget = new(@"^aten\.([a-z0-9_]*[a-z0-9])_\.(\w+)$", RegexOptions.CultureInvariant);

    /// <summary>ATen ops whose result may share its input's storage (the op name between <c>aten.</c> and the overload).</summary>
    private static readonly FrozenSet<string> AliasingOps = FrozenSet.ToFrozenSet(
        ["view", "_unsafe_view", "reshape", "expand", "expand_as", "view_as", "permute", "transpose", "t", "select", "slice",
         "squeeze", "unsqueeze", "as_strided", "alias", "diagonal", "unfold", "split", "split_with_sizes", "unbind", "chunk",
         "narrow", "detach", "flatten", "movedim", "swapaxes", "real", "imag", "view_as_real", "view_as_complex"], StringComparer.Ordinal);

    /// <summary>Null when <paramref name="node"/> (at <paramref name="index"/> of <paramref name="nodes"/>) is not an in-place op; else whether its functional form was imported.</summary>
    private bool? TryImportInPlace(ExportedNode node, ImmutableArray<ExportedNode> nodes, int index)
    {
        var match = InPlaceTarget.Match(node.Target);
        if (!match.Success)
        {
            return null;
        }

        // The functional overload has the in-place one's name, except transpose_.default, whose functional form is transpose.int.
        var functional = node.Target == "aten.transpose_.default" ? "aten.transpose.int" : $"aten.{match.Groups[1].Value}.{match.Groups[2].Value}";
        if (node.Args.IsDefaultOrEmpty || node.Args[0] is not NodeReference { Name: var mutated })
        {
            return Unsupported(node, "an in-place op whose first argument is not a tensor");
        }

        if (_inputs.Any(input => input.Value.Name == mutated))
        {
            return Unsupported(node, $"an in-place op on the graph input %{mutated} (a kernel must leave its inputs unchanged)");
        }

        var earlier = nodes.Take(index).ToList();
        var producer = earlier.FirstOrDefault(n => n.Name == mutated);
        var view = earlier.FirstOrDefault(n => IsAliasing(n) && n.Args.Length > 0 && n.Args[0] is NodeReference reference && reference.Name == mutated);
        if (producer is not null && IsAliasing(producer) || view is not null)
        {
            return Unsupported(node, $"an in-place op on %{mutated}, which {(view is not null ? $"the view %{view.Name} aliases" : "is a view of another tensor")} (the change would show through it)");
        }

        if (!ImportNode(node with { Target = functional }))
        {
            return false;
        }

        if (_values.TryGetValue(node.Name, out var result))
        {
            _values[mutated] = result;  // later readers of the mutated name read the new value
        }

        return true;
    }

    private static bool IsAliasing(ExportedNode node)
    {
        var parts = node.Target.Split('.');
        return parts.Length == 3 && parts[0] == "aten" && AliasingOps.Contains(parts[1]);
    }
}
