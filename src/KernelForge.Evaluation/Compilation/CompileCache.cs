using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using KernelForge.Core;

namespace KernelForge.Evaluation.Compilation;

/// <summary>Built libraries on disk, keyed by a hash of everything that determines the build, so a source is compiled once.</summary>
/// <remarks>
/// Layout: <c>&lt;root&gt;/&lt;key[0..2]&gt;/&lt;key&gt;/</c> holding <c>kernel.so</c>, <c>log.txt</c> (the compiler's output)
/// and <c>resources.json</c> (the ptxas report). An entry is built in a staging folder next to its final place and
/// moved there in one rename, so an entry folder is always complete; when two processes race, the first rename
/// wins and the loser's copy is deleted. Only successful builds are stored. Safe for concurrent use, including by
/// several processes sharing one root.
/// </remarks>
public sealed partial class CompileCache(string rootDirectory, TimeProvider? timeProvider = null)
{
    public const string LibraryFileName = "kernel.so";
    public const string LogFileName = "log.txt";
    public const string ResourcesFileName = "resources.json";
    private const string StagingPrefix = ".staging-";

    private static readonly JsonSerializerOptions ResourcesJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly TimeProvider _timeProvider = timeProvider ?? TimeProvider.System;

    /// <summary>The cache's root folder, created on first store.</summary>
    public string RootDirectory { get; } = Path.GetFullPath(rootDirectory ?? throw new ArgumentNullException(nameof(rootDirectory)));

    /// <summary>
    /// SHA-256 (lower-case hex) over the source, the compiler command line with the paths that vary between builds
    /// replaced by placeholders, the compiler's version text, and the content of the included headers.
    /// </summary>
    /// <remarks>Each part is length-prefixed, so no two different part lists hash the same bytes.</remarks>
    public static string ComputeKey(string source, string commandLine, string compilerVersion, string headerContent)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(commandLine);
        ArgumentNullException.ThrowIfNull(compilerVersion);
        ArgumentNullException.ThrowIfNull(headerContent);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[8];
        foreach (var part in (ReadOnlySpan<string>)[source, commandLine, compilerVersion, headerContent])
        {
            var bytes = Utf8.GetBytes(part);
            BinaryPrimitives.WriteInt64LittleEndian(length, bytes.Length);
            hash.AppendData(length);
            hash.AppendData(bytes);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The folder that holds (or will hold) the entry for <paramref name="key"/>.</summary>
    public string EntryDirectory(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!KeyPattern().IsMatch(key))
        {
            throw new ArgumentException($"Cache key '{key}' is not 8 to 128 lower-case hex digits.", nameof(key));
        }

        return Path.Combine(RootDirectory, key[..2], key);
    }

    /// <summary>The stored build for <paramref name="key"/>, with <c>CacheHit</c> set and <c>Seconds</c> the lookup time; null on a miss.</summary>
    public async Task<CompileResult?> TryGetAsync(string key, CancellationToken cancellationToken = default)
    {
        var start = _timeProvider.GetTimestamp();
        var entry = EntryDirectory(key);
        var library = Path.Combine(entry, LibraryFileName);
        if (!File.Exists(library))
        {
            return null;
        }

        try
        {
            var log = await File.ReadAllTextAsync(Path.Combine(entry, LogFileName), cancellationToken);
            await using var resources = File.OpenRead(Path.Combine(entry, ResourcesFileName));
            var kernels = await JsonSerializer.DeserializeAsync<List<KernelResourceUsage>>(resources, ResourcesJson, cancellationToken) ?? [];
            return CompileResult.Success(library, _timeProvider.GetElapsedTime(start).TotalSeconds, cacheHit: true, log, kernels);
        }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            // Entries are written whole, so this one was damaged from outside; treat it as a miss.
            return null;
        }
    }

    /// <summary>
    /// A fresh, empty folder on the same file system as <paramref name="key"/>'s entry, to build into; pass it to
    /// <see cref="CommitAsync"/> or <see cref="Discard"/>.
    /// </summary>
    public string CreateStagingDirectory(string key)
    {
        var parent = Path.GetDirectoryName(EntryDirectory(key))!;
        var staging = Path.Combine(parent, $"{StagingPrefix}{key}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        return staging;
    }

    /// <summary>
    /// Stores the successful build <paramref name="built"/>, whose library lies in <paramref name="stagingDirectory"/>
    /// (or anywhere; it is moved in), and returns it with <c>LibraryPath</c> pointing into the cache.
    /// </summary>
    /// <remarks>The staging folder is consumed: moved into place, or deleted when another writer stored the key first or anything fails.</remarks>
    public async Task<CompileResult> CommitAsync(string key, string stagingDirectory, CompileResult built, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(built);
        var entry = EntryDirectory(key);
        try
        {
            if (!built.Succeeded || built.LibraryPath is null || !File.Exists(built.LibraryPath))
            {
                throw new ArgumentException("Only a successful build whose library exists can be stored.", nameof(built));
            }

            var library = Path.Combine(stagingDirectory, LibraryFileName);
            if (!string.Equals(Path.GetFullPath(built.LibraryPath), Path.GetFullPath(library), StringComparison.Ordinal))
            {
                File.Move(built.LibraryPath, library, overwrite: true);
            }

            await File.WriteAllTextAsync(Path.Combine(stagingDirectory, LogFileName), built.Log, Utf8, cancellationToken);
            await File.WriteAllTextAsync(
                Path.Combine(stagingDirectory, ResourcesFileName),
                JsonSerializer.Serialize(built.Kernels, ResourcesJson),
                Utf8,
                cancellationToken);

            try
            {
                Directory.Move(stagingDirectory, entry);
            }
            catch (IOException) when (Directory.Exists(entry))
            {
                // Another build of the same key got there first; its library is interchangeable with ours.
                Discard(stagingDirectory);
            }
        }
        catch
        {
            Discard(stagingDirectory);
            throw;
        }

        return built with { LibraryPath = Path.Combine(entry, LibraryFileName) };
    }

    /// <summary>Deletes a staging folder and whatever is in it; a folder already gone is fine.</summary>
    public static void Discard(string stagingDirectory)
    {
        try
        {
            Directory.Delete(stagingDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Already gone.
        }
    }

    [GeneratedRegex("^[0-9a-f]{8,128}$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();
}
