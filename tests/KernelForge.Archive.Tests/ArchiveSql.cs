using System.Globalization;
using Microsoft.Data.Sqlite;

namespace KernelForge.Archive.Tests;

/// <summary>Raw SQL against an archive's connection, for asserting columns the query API does not expose.</summary>
internal static class ArchiveSql
{
    public static async Task<object?> ScalarAsync(SqliteArchive archive, string sql) =>
        await ScalarAsync(archive.Connection, sql);

    public static async Task<object?> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }

    public static async Task<long> CountAsync(SqliteArchive archive, string table) =>
        Convert.ToInt64(await ScalarAsync(archive, $"SELECT count(*) FROM {table};"), CultureInfo.InvariantCulture);

    public static async Task<long> UserVersionAsync(SqliteConnection connection) =>
        Convert.ToInt64(await ScalarAsync(connection, "PRAGMA user_version;"), CultureInfo.InvariantCulture);

    /// <summary>A connection that bypasses the archive (no pooling, so the file can be deleted afterwards).</summary>
    public static SqliteConnection OpenRaw(string filePath)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = filePath, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}
