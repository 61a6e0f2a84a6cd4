using System.Security.Cryptography;
using System.Text;

namespace KernelForge.Core;

/// <summary>Stable content hashes (lower-case hex SHA-256) for sources, problems and cache keys.</summary>
public static class ContentHash
{
    public static string Of(string text) => Of(Encoding.UTF8.GetBytes(text));

    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
