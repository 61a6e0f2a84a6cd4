using KernelForge.Archive.Schema;
using Microsoft.Data.Sqlite;

namespace KernelForge.Archive.Tests.Schema;

public sealed class ArchiveSchemaTests
{
    /// <summary>Every version an archive written by an earlier build can be at: 0 (new file) up to the latest minus one.</summary>
    public static TheoryData<int> PreviousVersions()
    {
        var versions = new TheoryData<int>();
        foreach (var version in Enumerable.Range(0, ArchiveSchema.LatestVersion))
        {
            versions.Add(version);
        }

        return versions;
    }

    [Fact]
    public void Scripts_Embedded_NumberedFromOneWithoutGaps()
    {
        var versions = ArchiveSchema.Scripts.Select(script => script.Version).ToArray();

        Assert.NotEmpty(versions);
        Assert.Equal(Enumerable.Range(1, versions.Length), versions);
        Assert.Equal("001_initial.sql", ArchiveSchema.Scripts[0].Name);
        Assert.Contains("CREATE TABLE evaluations", ArchiveSchema.Scripts[0].Sql, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(PreviousVersions))]
    public async Task OpenAsync_ArchiveAtPreviousVersion_MigratesToLatestAndAppends(int previousVersion)
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("archive.db");
        using (var connection = ArchiveSql.OpenRaw(path))
        {
            var applied = await ArchiveSchema.MigrateAsync(connection, previousVersion, CancellationToken.None);
            Assert.Equal(Enumerable.Range(1, previousVersion), applied);
            Assert.Equal(previousVersion, await ArchiveSql.UserVersionAsync(connection));
        }

        await using var archive = await SqliteArchive.OpenAsync(path);

        Assert.Equal(ArchiveSchema.LatestVersion, await ArchiveSql.UserVersionAsync(archive.Connection));
        var id = await archive.AppendAsync(SampleEvaluations.Accepted(), "0.1.0-test");
        Assert.Equal(id, Assert.Single(await archive.RecentEvaluationsAsync(10)).Id);
    }

    [Fact]
    public async Task OpenAsync_VersionTwoWithRows_RebuiltTableKeepsRowsAndStaysAppendOnly()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("archive.db");
        using (var connection = ArchiveSql.OpenRaw(path))
        {
            await ArchiveSchema.MigrateAsync(connection, 2, CancellationToken.None);
            await ArchiveSql.ScalarAsync(connection, """
                INSERT INTO candidates (id, source, format, origin, first_seen_at) VALUES ('c1', '// k', 'abi', 'test', '2026-01-01T00:00:00.0000000Z');
                INSERT INTO evaluations (candidate_id, precision, verdict, reached_stage, checks_json, warnings_json, finished_at, kforge_version, explanation_json)
                VALUES ('c1', 'strict', 'rejected', 'check', '[]', '[]', '2026-01-01T00:00:00.0000000Z', '0.0.1', '[]');
                """);
        }

        await using var archive = await SqliteArchive.OpenAsync(path);

        Assert.Equal("rejected", await ArchiveSql.ScalarAsync(archive, "SELECT verdict FROM evaluations WHERE candidate_id = 'c1';"));
        Assert.Equal("[]", await ArchiveSql.ScalarAsync(archive, "SELECT explanation_json FROM evaluations WHERE candidate_id = 'c1';"));
        await Assert.ThrowsAsync<SqliteException>(() => ArchiveSql.ScalarAsync(archive, "UPDATE evaluations SET verdict = 'accepted';"));
        await Assert.ThrowsAsync<SqliteException>(() => ArchiveSql.ScalarAsync(archive, "DELETE FROM evaluations;"));
        Assert.Equal(2L, await ArchiveSql.ScalarAsync(archive, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'evaluations' AND name LIKE 'evaluations_%';"));
    }

    [Fact]
    public async Task MigrateAsync_AlreadyLatest_AppliesNothing()
    {
        await using var archive = await SqliteArchive.OpenAsync(SqliteArchive.InMemoryPath);

        var applied = await ArchiveSchema.MigrateAsync(archive.Connection, ArchiveSchema.LatestVersion, CancellationToken.None);

        Assert.Empty(applied);
        Assert.Equal(ArchiveSchema.LatestVersion, await ArchiveSql.UserVersionAsync(archive.Connection));
    }

    [Fact]
    public async Task MigrateAsync_LaterScriptFails_RollsBackToPreviousVersion()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();
        SchemaScript[] scripts =
        [
            new(1, "001_first.sql", "CREATE TABLE first (id INTEGER PRIMARY KEY);"),
            new(2, "002_broken.sql", "CREATE TABLE second (id INTEGER PRIMARY KEY); INSERT INTO missing VALUES (1);"),
        ];

        await Assert.ThrowsAsync<SqliteException>(() => ArchiveSchema.MigrateAsync(connection, scripts, 2, CancellationToken.None));

        Assert.Equal(0, await ArchiveSql.UserVersionAsync(connection));
        Assert.Equal(0L, await ArchiveSql.ScalarAsync(connection, "SELECT count(*) FROM sqlite_schema WHERE name IN ('first', 'second');"));
    }

    [Fact]
    public async Task MigrateAsync_GapInScriptNumbers_ThrowsNamingTheScript()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();
        SchemaScript[] scripts = [new(1, "001_first.sql", "SELECT 1;"), new(3, "003_third.sql", "SELECT 3;")];

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => ArchiveSchema.MigrateAsync(connection, scripts, 2, CancellationToken.None));

        Assert.Contains("'003_third.sql'", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("001_initial.sql", 1)]
    [InlineData("012_add_llm_exchanges.sql", 12)]
    public void ParseVersion_NumberPrefix_ReturnsVersion(string fileName, int expected)
    {
        Assert.Equal(expected, ArchiveSchema.ParseVersion(fileName));
    }

    [Theory]
    [InlineData("initial.sql")]
    [InlineData("v1_initial.sql")]
    [InlineData("_initial.sql")]
    public void ParseVersion_NoNumberPrefix_Throws(string fileName)
    {
        Assert.Throws<InvalidOperationException>(() => ArchiveSchema.ParseVersion(fileName));
    }
}
