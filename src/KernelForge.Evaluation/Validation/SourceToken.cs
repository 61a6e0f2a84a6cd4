namespace KernelForge.Evaluation.Validation;

/// <summary>One token of a scanned source, with the 1-based line and column it starts at.</summary>
/// <remarks>
/// Rules match <see cref="Text"/>, which for literals is only the quotes, so banned names inside strings and comments
/// never match. The few rules that must read literal contents (system paths, asm templates) use <see cref="Value"/>:
/// the decoded contents of a string or character literal, or the name of an included file.
/// <see cref="Directive"/> names the preprocessor directive the token belongs to (<c>define</c>, <c>include</c>, …),
/// null outside directives. <see cref="StartsLine"/> is true for the first token of a logical line.
/// </remarks>
public readonly record struct SourceToken(
    SourceTokenKind Kind,
    string Text,
    int Line,
    int Column,
    string? Value = null,
    string? Directive = null,
    bool StartsLine = false)
{
    public bool IsIdentifier => Kind == SourceTokenKind.Identifier;

    public bool IsPunctuator(string text) => Kind == SourceTokenKind.Punctuator && Text == text;

    public bool IsName(string text) => Kind == SourceTokenKind.Identifier && Text == text;
}
