using System.Globalization;
using KernelForge.Archive.Queries;
using KernelForge.Archive.Schema;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace KernelForge.Archive;

/// <summary>The archive of every evaluation: problems, candidates and an append-only log of evaluations in one SQLite file.</summary>
/// <remarks>
/// <para>
/// Durability: the file runs in WAL mode with <c>synchronous=NORMAL</c> and each append is its own transaction, so a
/// killed process loses at most the evaluation in flight (a power cut may also lose the last few commits; that is the
/// price of not syncing the disk on every append).
/// </para>
/// <para>
/// Thread safety: one connection, with calls serialized inside; callers may call concurrently. Other processes may
/// open the same file; a write waits up to <see cref="BusyTimeoutMilliseconds"/> for their lock.
/// </para>
/// </remarks>
public sealed partial class SqliteArchive : IAsyncDisposable
{
    /// <summary>The path that opens an archive held in memory and gone on dispose: for tests and throwaway runs.</summary>
    public const string InMemoryPath = ":memory:";

    /// <summary>How long a write waits for another process that holds the archive's write lock before failing.</summary>
    public const int BusyTimeoutMilliseconds = 5_000;

    private readonly SqliteConnection _connection;

    // Never disposed: a SemaphoreSlim without AvailableWaitHandle holds no OS resource, and keeping it usable lets a
    // call that races DisposeAsync see _disposed and fail with ObjectDisposedException naming this type.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _disposed;

    private SqliteArchive(SqliteConnection connection, string filePath)
    {
        _connection = connection;
        FilePath = filePath;
    }

    /// <summary>The full path of the archive file, or <see cref="InMemoryPath"/>.</summary>
    public string FilePath { get; }

    /// <summary>The connection, for tests that read columns the query API does not expose.</summary>
    internal SqliteConnection Connection => _connection;

    /// <summary>Opens the archive at <paramref name="path"/>, creating the file and its folder if needed, and migrates its schema.</summary>
    /// <exception cref="ArchiveUnavailableException">
    /// The location can't be written, the file is not an archive, or a newer kforge wrote it. The message says what to do.
    /// </exception>
    public static async Task<SqliteArchive> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var inMemory = path == InMemoryPath;
        var filePath = inMemory ? path : Path.GetFullPath(path);
        if (!inMemory)
        {
            CreateFolder(filePath);
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = filePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            // A pooled connection keeps the file open after dispose, which stops tests and users from deleting it.
            Pooling = false,
        }.ToString());
        try
        {
            await InitializeAsync(connection, filePath, cancellationToken);
        }
        catch (SqliteException exception) when (IsUnwritable(exception))
        {
            await connection.DisposeAsync();
            throw ArchiveUnavailableException.NotWritable(filePath, exception);
        }
        catch (SqliteException exception) when (IsNotADatabase(exception))
        {
            await connection.DisposeAsync();
            throw ArchiveUnavailableException.NotAnArchive(filePath, exception);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        return new SqliteArchive(connection, filePath);
    }

    /// <summary>The newest evaluations first, at most <paramref name="limit"/>, of one problem when <paramref name="problemHash"/> is set.</summary>
    public async Task<IReadOnlyList<EvaluationRow>> RecentEvaluationsAsync(int limit, string? problemHash = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return await RecentEvaluationsQuery.RunAsync(_connection, limit, problemHash, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Closes the file; an in-memory archive is gone afterwards.</summary>
    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (!_disposed)
            {
                _disposed = true;
                await _connection.DisposeAsync();
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private static void CreateFolder(string filePath)
    {
        var folder = Path.GetDirectoryName(filePath);
        if (string.IsNullOrEmpty(folder))
        {
            return;
        }

        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw ArchiveUnavailableException.NotWritable(filePath, exception);
        }
    }

    private static async Task InitializeAsync(SqliteConnection connection, string filePath, CancellationToken cancellationToken)
    {
        await connection.OpenAsync(cancellationToken);

        // SQLite falls back to read-only when it cannot open the file for writing; that must fail here, not on the
        // first append after a long evaluation.
        if (raw.sqlite3_db_readonly(connection.Handle, "main") == 1)
        {
            throw ArchiveUnavailableException.NotWritable(filePath, innerException: null);
        }

        await using (var pragmas = connection.CreateCommand())
        {
            // PRAGMA takes no parameters; the number is formatted in invariant culture.
            pragmas.CommandText = string.Create(CultureInfo.InvariantCulture, $"""
                PRAGMA busy_timeout = {BusyTimeoutMilliseconds};
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = NORMAL;
                PRAGMA foreign_keys = ON;
                """);
            await pragmas.ExecuteNonQueryAsync(cancellationToken);
        }

        var version = await ArchiveSchema.ReadVersionAsync(connection, transaction: null, cancellationToken);
        if (version > ArchiveSchema.LatestVersion)
        {
            throw ArchiveUnavailableException.SchemaTooNew(filePath, version, ArchiveSchema.LatestVersion);
        }

        await ArchiveSchema.MigrateAsync(connection, ArchiveSchema.LatestVersion, cancellationToken);
    }

    private static int PrimaryCode(SqliteException exception) => exception.SqliteErrorCode & 0xFF;

    private static bool IsUnwritable(SqliteException exception) => PrimaryCode(exception) is
        raw.SQLITE_PERM or raw.SQLITE_READONLY or raw.SQLITE_IOERR or raw.SQLITE_FULL or raw.SQLITE_CANTOPEN or raw.SQLITE_AUTH;

    private static bool IsNotADatabase(SqliteException exception) => PrimaryCode(exception) is raw.SQLITE_NOTADB or raw.SQLITE_CORRUPT;
}
