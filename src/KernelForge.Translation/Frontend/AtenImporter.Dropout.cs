using KernelForge.Translation.IR;

namespace KernelForge.Translation.Frontend;

/// <summary>
/// <c>dropout(input, p, train)</c> and <c>native_dropout(input, p, train)</c> (which also returns the kept-element mask):
/// the identity where nothing is dropped, that is <c>p = 0</c> or not training. Models run in training mode, as KernelBench
/// runs them, and <c>nn.Dropout(0.0)</c> is common in its networks. With <c>p &gt; 0</c> in training the reference is random
/// (the worker refuses such a problem), so it is refused here too.
/// </summary>
internal sealed partial class AtenImporter
{
    private const string DropoutMaskReason = "native_dropout's mask (used for training) is not supported";

    private bool ImportDropout(ExportedNode node)
    {
        if (!(TryTensor(node, 0, "input", out var x) & TryNumber(node, 1, "p", 0, out var p) & TryBool(node, 2, "train", false, out var train)))
        {
            return false;
        }

        if (train && p is not 0.0)
        {
            return Unsupported(node, $"dropout with p = {IRPrinter.Number(p ?? 0)} in training mode (random: no kernel can match it; use p = 0.0, or call eval() in the Model)");
        }

        if (!node.IsTuple)
        {
            Alias(node, x);
            return true;
        }

        var output = Emit(node, new ReshapeOp(x with { Name = FreshName(node.Name + "_output") }, x.Name), isNodeResult: false);
        CheckMeta(node, output, node.Results[0]);
        _tuples[node.Name] = [(output, null), (null, DropoutMaskReason)];
        return true;
    }
}
