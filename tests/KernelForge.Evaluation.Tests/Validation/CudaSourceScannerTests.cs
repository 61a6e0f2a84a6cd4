using KernelForge.Evaluation.Validation;

namespace KernelForge.Evaluation.Tests.Validation;

public sealed class CudaSourceScannerTests
{
    [Fact]
    public void StripCommentsAndLiterals_CommentsAndStrings_RemovedWithLinesKept()
    {
        const string Source = "int a; // cudaMalloc\n/* fork();\n   system(); */ int b;\nputs(\"fopen\"); char c = 'x';\n";

        var stripped = CudaSourceScanner.StripCommentsAndLiterals(Source);

        Assert.Equal(Source.Count(ch => ch == '\n'), stripped.Count(ch => ch == '\n'));
        Assert.DoesNotContain("cudaMalloc", stripped, StringComparison.Ordinal);
        Assert.DoesNotContain("fork", stripped, StringComparison.Ordinal);
        Assert.DoesNotContain("fopen", stripped, StringComparison.Ordinal);
        Assert.Contains("puts(\"\")", stripped, StringComparison.Ordinal);
        Assert.Contains("''", stripped, StringComparison.Ordinal);
        Assert.Equal(" int b;", stripped.Split('\n')[2].TrimEnd());
    }

    [Fact]
    public void Scan_CommentsAndLiterals_YieldNoIdentifiersFromThem()
    {
        var tokens = CudaSourceScanner.Scan("// fork\n/* fork */ f(\"fork\", 'k');\n").Tokens;

        Assert.DoesNotContain(tokens, token => token.IsName("fork"));
        var literal = Assert.Single(tokens, token => token.Kind == SourceTokenKind.StringLiteral);
        Assert.Equal("fork", literal.Value);
        Assert.Equal("\"\"", literal.Text);
        Assert.Equal(2, literal.Line);
    }

    [Fact]
    public void Scan_LineContinuationInsideIdentifier_JoinsItOnItsFirstLine()
    {
        var tokens = CudaSourceScanner.Scan("int x;\ncudaDevice\\\nSynchronize();\nint y;\n").Tokens;

        var joined = Assert.Single(tokens, token => token.IsName("cudaDeviceSynchronize"));
        Assert.Equal(2, joined.Line);
        Assert.Equal(4, Assert.Single(tokens, token => token.IsName("y")).Line);
    }

    [Fact]
    public void Scan_LineCommentEndingInBackslash_SwallowsTheNextLine()
    {
        var tokens = CudaSourceScanner.Scan("// note \\\nfork();\nint z;\n").Tokens;

        Assert.DoesNotContain(tokens, token => token.IsName("fork"));
        Assert.Contains(tokens, token => token.IsName("z") && token.Line == 3);
    }

    [Fact]
    public void Scan_RawString_IsOneLiteralWithItsContents()
    {
        var tokens = CudaSourceScanner.Scan("auto s = R\"x(fork(); \" )\" )x\"; int after;\n").Tokens;

        var literal = Assert.Single(tokens, token => token.Kind == SourceTokenKind.StringLiteral);
        Assert.Equal("fork(); \" )\" ", literal.Value);
        Assert.DoesNotContain(tokens, token => token.IsName("fork"));
        Assert.Contains(tokens, token => token.IsName("after"));
    }

    [Fact]
    public void Scan_EscapesInStrings_AreDecoded()
    {
        var tokens = CudaSourceScanner.Scan("const char* p = \"\\x2fproc\\057self\\u002Fmem\\n\";\n").Tokens;

        Assert.Equal("/proc/self/mem\n", Assert.Single(tokens, token => token.Kind == SourceTokenKind.StringLiteral).Value);
    }

    [Fact]
    public void Scan_DefineAndInclude_TokensCarryTheirDirective()
    {
        var tokens = CudaSourceScanner.Scan("#include <cublas_v2.h>\n%:define SYNC cudaDeviceSynchronize\nSYNC();\n").Tokens;

        var header = Assert.Single(tokens, token => token.Kind == SourceTokenKind.HeaderName);
        Assert.Equal("cublas_v2.h", header.Text);
        Assert.Equal("include", header.Directive);
        var aliased = Assert.Single(tokens, token => token.IsName("cudaDeviceSynchronize"));
        Assert.Equal("define", aliased.Directive);
        Assert.Equal(2, aliased.Line);
        Assert.Null(Assert.Single(tokens, token => token.IsName("SYNC") && token.Line == 3).Directive);
    }

    [Fact]
    public void Scan_KernelLaunch_HasTripleChevronTokens()
    {
        var tokens = CudaSourceScanner.Scan("k<<<grid, block, 0, stream>>>(x);").Tokens;

        Assert.Contains(tokens, token => token.IsPunctuator("<<<"));
        Assert.Contains(tokens, token => token.IsPunctuator(">>>"));
    }
}
