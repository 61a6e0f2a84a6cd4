namespace KernelForge.Evaluation.Validation;

/// <summary>What one scanned token is; comments never become tokens.</summary>
public enum SourceTokenKind
{
    /// <summary>Not a token: the default value, which lookups past either end of the token list return.</summary>
    None,

    Identifier,
    Number,
    Punctuator,

    /// <summary>A string literal; its text is the quotes (and prefix), its contents are in <see cref="SourceToken.Value"/>.</summary>
    StringLiteral,

    /// <summary>A character literal; its text is the quotes (and prefix), its contents are in <see cref="SourceToken.Value"/>.</summary>
    CharLiteral,

    /// <summary>The file named by <c>#include</c>, <c>#include_next</c>, <c>#import</c> or <c>#embed</c>.</summary>
    HeaderName,
}
