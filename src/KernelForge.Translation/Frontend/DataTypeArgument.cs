namespace KernelForge.Translation.Frontend;

/// <summary><c>{"dtype": "float32"}</c>: a torch dtype, named without the <c>torch.</c> prefix.</summary>
public sealed record DataTypeArgument(string Name) : NodeArgument;
