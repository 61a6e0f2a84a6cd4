using System.Globalization;
using System.Reflection;
using Microsoft.Data.Sqlite;

namespace KernelForge.Archive.Schema;

/// <summary>
/// Brings an archive's schema up to date by applying the embedded <c>Schema/NNN_*.sql</c> scripts it has not seen,
/// tracked by <c>PRAGMA user_version</c>.
/// </summary>
/// <remarks>
/// Adding a migration means adding <c>002_what.sql</c>: scripts are ordered by their number prefix, which must run
/// 1, 2, 3… without gaps. Pending scripts and the new <c>user_version</c> are applied in one transaction, so a failed
/// migration leaves the archive at its old version. The version is re-read under the write lock, so two processes
/// opening a new archive at once do not both run the scripts.
/// </remarks>
internal static class ArchiveSchema
{
    private const string ResourcePrefix = "KernelForge.Archive.Schema.";

    /// <summary>Every embedded script, ordered by version.</summary>
    public static IReadOnlyList<SchemaScript> Scripts { get; } = LoadEmbeddedScripts();

    /// <summary>The version an archive has once every embedded script ran.</summary>
    public static int LatestVersion => Scripts[^1].Version;

    /// <summary>Reads <c>PRAGMA user_version</c>: 0 for a new file, otherwise the last script applied.</summary>
    public static async Task<int> ReadVersionAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA user_version;";
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return Convert.ToInt32(value, CultureInfo.InvariantCulture);
    }

    /// <summary>Applies the embedded scripts above the archive's version, up to <paramref name="targetVersion"/>.</summary>
    /// <returns>The versions applied, in order; empty when the archive was already there.</returns>
    public static Task<IReadOnlyList<int>> MigrateAsync(SqliteConnection connection, int targetVersion, CancellationToken cancellationToken) =>
        MigrateAsync(connection, Scripts, targetVersion, cancellationToken);

    /// <summary>Applies <paramref name="scripts"/> above the archive's version, up to <paramref name="targetVersion"/>.</summary>
    /// <remarks>Takes the scripts as an argument so tests can show that a failing script rolls the whole step back.</remarks>
    public static async Task<IReadOnlyList<int>> MigrateAsync(
        SqliteConnection connection,
        IReadOnlyList<SchemaScript> scripts,
        int targetVersion,
        CancellationToken cancellationToken)
    {
        ValidateOrder(scripts);
        ArgumentOutOfRangeException.ThrowIfNegative(targetVersion);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(targetVersion, scripts.Count);

        // Fast path without the write lock: an up-to-date archive is the common case on every open.
        if (await ReadVersionAsync(connection, transaction: null, cancellationToken) >= targetVersion)
        {
            return [];
        }

        // Microsoft.Data.Sqlite begins with BEGIN IMMEDIATE, so the version read below is stable until commit.
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var current = await ReadVersionAsync(connection, transaction, cancellationToken);
        var applied = new List<int>();
        foreach (var script in scripts.Where(script => script.Version > current && script.Version <= targetVersion))
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = script.Sql;
            await command.ExecuteNonQueryAsync(cancellationToken);
            applied.Add(script.Version);
        }

        if (applied.Count > 0)
        {
            await using var stamp = connection.CreateCommand();
            stamp.Transaction = transaction;
            // PRAGMA takes no parameters; the value is an int formatted in invariant culture.
            stamp.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA user_version = {applied[^1]};");
            await stamp.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return applied;
    }

    /// <summary>Parses the version from a script's file name: the digits before the first underscore.</summary>
    public static int ParseVersion(string fileName)
    {
        var separator = fileName.IndexOf('_', StringComparison.Ordinal);
        if (separator <= 0 || !int.TryParse(fileName.AsSpan(0, separator), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            throw new InvalidOperationException(
                $"Schema script '{fileName}' must be named NNN_description.sql, where NNN is its schema version.");
        }

        return version;
    }

    private static void ValidateOrder(IReadOnlyList<SchemaScript> scripts)
    {
        for (var index = 0; index < scripts.Count; index++)
        {
            if (scripts[index].Version != index + 1)
            {
                throw new InvalidOperationException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"Schema script '{scripts[index].Name}' has version {scripts[index].Version} where {index + 1} was expected; number the scripts 001, 002, … without gaps or repeats."));
            }
        }
    }

    private static SchemaScript[] LoadEmbeddedScripts()
    {
        var assembly = typeof(ArchiveSchema).Assembly;
        var scripts = assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name => Load(assembly, name))
            .OrderBy(script => script.Version)
            .ToArray();
        if (scripts.Length == 0)
        {
            throw new InvalidOperationException("KernelForge.Archive was built without its Schema/*.sql resources.");
        }

        ValidateOrder(scripts);
        return scripts;
    }

    private static SchemaScript Load(Assembly assembly, string resourceName)
    {
        var fileName = resourceName[ResourcePrefix.Length..];
        using var stream = assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"Embedded schema script '{resourceName}' could not be read.");
        using var reader = new StreamReader(stream);
        return new SchemaScript(ParseVersion(fileName), fileName, reader.ReadToEnd());
    }
}
