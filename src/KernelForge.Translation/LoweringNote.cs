namespace KernelForge.Translation;

/// <summary>How one exported node was lowered, for <c>kforge translate</c> to print (e.g. <c>relu  aten.relu.default  k0_pointwise: fused elementwise …</c>).</summary>
public sealed record LoweringNote(string Node, string Target, string How);
