using System.Globalization;
using KernelForge.Archive.Queries;
using KernelForge.Archive.Schema;
using KernelForge.Core;
using Microsoft.Data.Sqlite;

namespace KernelForge.Archive.Tests;

public sealed class SqliteArchiveTests
{
    private const string Version = "0.1.0-test";

    [Fact]
    public async Task AppendAsync_AcceptedResult_RecentEvaluationsReturnsItsColumns()
    {
        await using var archive = await SqliteArchive.OpenAsync(SqliteArchive.InMemoryPath);
        var result = SampleEvaluations.Accepted();

        var id = await archive.AppendAsync(result, Version);

        var row = Assert.Single(await archive.RecentEvaluationsAsync(10));
        Assert.Equal(id, row.Id);
        Assert.Equal(result.Candidate.Id, row.CandidateId);
        Assert.Equal(result.Problem!.Hash, row.ProblemHash);
        Assert.Equal("19_ReLU", row.ProblemName);
        Assert.Equal(PrecisionPolicy.Strict, row.Precision);
        Assert.Equal(EvaluationVerdict.Accepted, row.Verdict);
        Assert.Equal(EvaluationStage.Time, row.ReachedStage);
        Assert.Null(row.Failure);
        Assert.Null(row.FailureMessage);
        Assert.Equal(12.5, row.CandidateMedianMicroseconds);
        Assert.Equal(0.375, row.CandidateInterquartileRangeMicroseconds);
        Assert.Equal(25.0, row.EagerMedianMicroseconds);
        Assert.Equal(15.0, row.CompiledMedianMicroseconds);
        Assert.Equal(2.0, row.SpeedupOverEager);
        Assert.Equal(1.2, row.SpeedupOverCompiled);
        Assert.Equal(result.FractionOfFloor, row.FractionOfFloor);
        Assert.Equal("NVIDIA H100 80GB HBM3", row.GpuName);
        Assert.Equal(SampleEvaluations.FinishedAt, row.FinishedAt);
        Assert.Equal(TimeSpan.Zero, row.FinishedAt.Offset);
        Assert.Equal(Version, row.KforgeVersion);
    }

    [Fact]
    public async Task AppendAsync_CheckedOnlyResult_VerdictIsCorrectNotAccepted()
    {
        await using var archive = await SqliteArchive.OpenAsync(SqliteArchive.InMemoryPath);
        var checkedOnly = SampleEvaluations.Accepted() with { ReachedStage = EvaluationStage.Check, CandidateTiming = null, EagerTiming = null, CompiledTiming = null };

        await archive.AppendAsync(checkedOnly, Version);

        var row = Assert.Single(await archive.RecentEvaluationsAsync(10));
        Assert.Equal(EvaluationVerdict.Correct, row.Verdict);
        Assert.Null(row.Failure);
        Assert.Null(row.CandidateMedianMicroseconds);
    }

    [Fact]
    public async Task AppendAsync_RejectedResult_RecentEvaluationsReturnsFailureAndNullTimings()
    {
        await using var archive = await SqliteArchive.OpenAsync(SqliteArchive.InMemoryPath);
        await archive.AppendAsync(SampleEvaluations.Accepted(), Version);

        var id = await archive.AppendAsync(SampleEvaluations.Rejected(), Version);

        var row = (await archive.RecentEvaluationsAsync(10))[0];
        Assert.Equal(id, row.Id);
        Assert.Equal(EvaluationVerdict.Rejected, row.Verdict);
        Assert.Equal(EvaluationStage.Check, row.ReachedStage);
        Assert.Equal(PrecisionPolicy.KernelBench, row.Precision);
        Assert.Equal(FailureKind.WrongResult, row.Failure);
        Assert.Equal("output 0 of input set 0: max abs error 0.5 exceeds the allowed 1e-05", row.FailureMessage);
        Assert.Null(row.CandidateMedianMicroseconds);
        Assert.Null(row.CandidateInterquartileRangeMicroseconds);
        Assert.Null(row.EagerMedianMicroseconds);
        Assert.Null(row.SpeedupOverEager);
        Assert.Null(row.SpeedupOverCompiled);
        Assert.Null(row.FractionOfFloor);
    }

    [Fact]
    public async Task AppendAsync_RejectedResult_StoresNullNotSentinelsInTimingColumns()
    {
        await using var archive = await SqliteArchive.OpenAsync(SqliteArchive.InMemoryPath);

        await archive.AppendAsync(SampleEvaluations.Rejected(), Version);

        var nonNull = await ArchiveSql.ScalarAsync(archive, """
            SELECT count(candidate_median_us) + count(candidate_iqr_us) + count(candidate_min_us) + count(candidate_samples_json)
                 + count(speedup_over_eager) + count(fraction_of_floor) + count(l2_flushed)
            FROM evaluations;
            """);
        Assert.Equal(0L, nonNull);
        Assert.Equal("rejected", await ArchiveSql.ScalarAsync(archive, "SELECT verdict FROM evaluations;"));
        Assert.Equal("wrong_result", await ArchiveSql.ScalarAsync(archive, "SELECT failure_kind FROM evaluations;"));
    }

    [Fact]
    public async Task AppendAsync_SameCandidateTwice_OneCandidateRowTwoEvaluations()
    {
        await using var archive = await SqliteArchive.OpenAsync(SqliteArchive.InMemoryPath);
        var candidate = SampleEvaluations.Candidate();

        var first = await archive.AppendAsync(SampleEvaluations.Accepted(candidate, candidateMedianMicroseconds: 12.5), Version);
        var second = await archive.AppendAsync(SampleEvaluations.Accepted(candidate with { Origin = "llm:other" }, candidateMedianMicroseconds: 12.75), Version);

        Assert.NotEqual(first, second);
        Assert.Equal(1, await ArchiveSql.CountAsync(archive, "candidates"));
        Assert.Equal(1, await ArchiveSql.CountAsync(archive, "problems"));
        Assert.Equal(2, await ArchiveSql.CountAsync(archive, "evaluations"));
        Assert.Equal("generator", await ArchiveSql.ScalarAsync(archive, "SELECT origin FROM candidates;"));
        Assert.All(await archive.RecentEvaluationsAsync(10), row => Assert.Equal(candidate.Id, row.CandidateId));
    }

    [Fact]
    public async Task AppendAsync_AcceptedResult_StoresCandidateSourceAndFormat()
    {
        await using var archive = await SqliteArchive.OpenAsync(SqliteArchive.InMemoryPath);
        var result = SampleEvaluations.Accepted(new Candidate(SampleEvaluations.ReluSource, CandidateFormat.TorchExtension, "generator"));

        await archive.AppendAsync(result, Version);

        Assert.Equal(SampleEvaluations.ReluSource, await ArchiveSql.ScalarAsync(archive, "SELECT source FROM candidates;"));
        Assert.Equal("torch_extension", await ArchiveSql.ScalarAsync(archive, "SELECT format FROM candidates;"));
        Assert.Equal(result.Candidate.Id, await ArchiveSql.ScalarAsync(archive, "SELECT id FROM candidates;"));
    }

    [Fact]
    public async Task AppendAsync_AcceptedResult_WritesSnakeCaseJsonColumns()
    {
        await using var archive = await SqliteArchive.OpenAsync(SqliteArchive.InMemoryPath);

        await archive.AppendAsync(SampleEvaluations.Accepted(), Version);

        var environment = (string?)await ArchiveSql.ScalarAsync(archive, "SELECT environment_json FROM evaluations;");
        Assert.Contains("\"gpu_name\":\"NVIDIA H100 80GB HBM3\"", environment, StringComparison.Ordinal);
        Assert.Contains("\"measured_peak_bandwidth_bytes_per_second\":3000000000000", environment, StringComparison.Ordinal);
        Assert.Contains("\"empty_kernel_microseconds\":4.25", environment, StringComparison.Ordinal);

        var kernels = (string?)await ArchiveSql.ScalarAsync(archive, "SELECT kernels_json FROM evaluations;");
        Assert.Equal(
            """[{"name":"relu","registers":10,"shared_memory_bytes":0,"stack_frame_bytes":0,"spill_store_bytes":0,"spill_load_bytes":0,"constant_memory_bytes":360}]""",
            kernels);

        Assert.Equal("[12.25,12.5,12.625,12.5,13]", await ArchiveSql.ScalarAsync(archive, "SELECT candidate_samples_json FROM evaluations;"));
        Assert.Equal("[24.75,25,25.125,25,25.5]", await ArchiveSql.ScalarAsync(archive, "SELECT eager_samples_json FROM evaluations;"));

        var tensors = (string?)await ArchiveSql.ScalarAsync(archive, "SELECT tensors_json FROM problems;");
        Assert.Contains("\"shape\":[16,16384],\"data_type\":\"bfloat16\",\"role\":\"input\"", tensors, StringComparison.Ordinal);
        Assert.Equal("[42,43,44]", await ArchiveSql.ScalarAsync(archive, "SELECT seeds_json FROM problems;"));
    }

    [Fact]
    public async Task AppendAsync_RejectedResult_ChecksJsonNamesTheFailure()
    {
        await using var archive = await SqliteArchive.OpenAsync(SqliteArchive.InMemoryPath);

        await archive.AppendAsync(SampleEvaluations.Rejected(), Version);

        var checks = (string?)await ArchiveSql.ScalarAsync(archive, "SELECT checks_json FROM evaluations;");
        Assert.Contains("\"input_set_index\":0,\"seed\":42", checks, StringComparison.Ordinal);
        Assert.Contains("\"passed\":false,\"failure\":\"wrong_result\"", checks, StringComparison.Ordinal);
        Assert.Contains("\"max_abs_error\":0.5", checks, StringComparison.Ordinal);
        Assert.Contains("\"allowed_max_abs_error\":1E-05", checks, StringComparison.Ordinal);
        Assert.Equal("[\"high dispersion in the reference timing\"]", await ArchiveSql.ScalarAsync(archive, "SELECT warnings_json FROM evaluations;"));
    }

    [Fact]
    public async Task AppendAsync_ResultWithoutProblem_StoresNullProblemHash()
    {
        await using var archive = await SqliteArchive.OpenAsync(SqliteArchive.InMemoryPath);
        var result = SampleEvaluations.Rejected() with
        {
            Problem = null,
            ReachedStage = EvaluationStage.Compile,
            Failure = FailureKind.CompileError,
            Compile = CompileResult.Failed(FailureKind.CompileError, 0.5, "error: identifier \"foo\" is undefined"),
            Checks = [],
        };

        await archive.AppendAsync(result, Version);

        var row = Assert.Single(await archive.RecentEvaluationsAsync(10));
        Assert.Null(row.ProblemHash);
        Assert.Null(row.ProblemName);
        Assert.Equal(FailureKind.CompileError, row.Failure);
        Assert.Equal(0, await ArchiveSql.CountAsync(archive, "problems"));
        Assert.Equal("[]", await ArchiveSql.ScalarAsync(archive, "SELECT kernels_json FROM evaluations;"));
        Assert.Equal(0L, await ArchiveSql.ScalarAsync(archive, "SELECT compile_cache_hit FROM evaluations;"));
    }

    [Fact]
    public async Task AppendAsync_GermanCurrentCulture_NumbersReadBackExactly()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            Assert.Equal(",", CultureInfo.CurrentCulture.NumberFormat.NumberDecimalSeparator);
            await using var archive = await SqliteArchive.OpenAsync(SqliteArchive.InMemoryPath);
            var median = 12.345678901234567;
            var result = SampleEvaluations.Accepted(candidateMedianMicroseconds: median);

            await archive.AppendAsync(result, Version);

            var row = Assert.Single(await archive.RecentEvaluationsAsync(1));
            Assert.Equal(median, row.CandidateMedianMicroseconds);
            Assert.Equal(result.SpeedupOverEager, row.SpeedupOverEager);
            Assert.Equal(result.FractionOfFloor, row.FractionOfFloor);
            Assert.Equal(SampleEvaluations.FinishedAt, row.FinishedAt);
            var samples = (string?)await ArchiveSql.ScalarAsync(archive, "SELECT candidate_samples_json FROM evaluations;");
            var expectedStart = "[" + (median - 0.25).ToString("R", CultureInfo.InvariantCulture) + "," + median.ToString("R", CultureInfo.InvariantCulture) + ",";
            Assert.StartsWith(expectedStart, samples, StringComparison.Ordinal);
            Assert.Equal("2025-03-14T14:09:26.5350000Z", await ArchiveSql.ScalarAsync(archive, "SELECT finished_at FROM evaluations;"));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public async Task AppendAsync_ConcurrentCalls_RecordsEveryEvaluation()
    {
        await using var archive = await SqliteArchive.OpenAsync(SqliteArchive.InMemoryPath);

        var ids = await Task.WhenAll(Enumerable.Range(0, 20).Select(index =>
            Task.Run(() => archive.AppendAsync(SampleEvaluations.Accepted(SampleEvaluations.Candidate(origin: $"worker {index}")), Version))));

        Assert.Equal(20, ids.Distinct().Count());
        Assert.Equal(20, await ArchiveSql.CountAsync(archive, "evaluations"));
    }

    [Fact]
    public async Task AppendAsync_AfterDispose_ThrowsObjectDisposed()
    {
        var archive = await SqliteArchive.OpenAsync(SqliteArchive.InMemoryPath);
        await archive.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => archive.AppendAsync(SampleEvaluations.Accepted(), Version));
    }

    [Fact]
    public async Task Evaluations_UpdateOrDelete_RefusedAsAppendOnly()
    {
        await using var archive = await SqliteArchive.OpenAsync(SqliteArchive.InMemoryPath);
        await archive.AppendAsync(SampleEvaluations.Accepted(), Version);

        var update = await Assert.ThrowsAsync<SqliteException>(() => ArchiveSql.ScalarAsync(archive, "UPDATE evaluations SET verdict = 'rejected';"));
        var delete = await Assert.ThrowsAsync<SqliteException>(() => ArchiveSql.ScalarAsync(archive, "DELETE FROM evaluations;"));

        Assert.Contains("append-only", update.Message, StringComparison.Ordinal);
        Assert.Contains("append-only", delete.Message, StringComparison.Ordinal);
        Assert.Equal(1, await ArchiveSql.CountAsync(archive, "evaluations"));
    }

    [Fact]
    public async Task OpenAsync_NewArchive_UserVersionIsHighestScriptNumber()
    {
        await using var archive = await SqliteArchive.OpenAsync(SqliteArchive.InMemoryPath);

        var highest = ArchiveSchema.Scripts.Max(script => script.Version);
        Assert.True(highest >= 1);
        Assert.Equal(highest, await ArchiveSql.UserVersionAsync(archive.Connection));
    }

    [Fact]
    public async Task OpenAsync_ReopenFile_KeepsRowsAndDoesNotRerunMigrations()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("archive.db");
        long id;
        await using (var archive = await SqliteArchive.OpenAsync(path))
        {
            id = await archive.AppendAsync(SampleEvaluations.Accepted(), Version);
        }

        // A re-run of 001_initial.sql would fail on CREATE TABLE; the marker table would not survive a re-created schema.
        using (var raw = ArchiveSql.OpenRaw(path))
        {
            await ArchiveSql.ScalarAsync(raw, "CREATE TABLE reopen_marker (x INTEGER);");
        }

        await using (var reopened = await SqliteArchive.OpenAsync(path))
        {
            var row = Assert.Single(await reopened.RecentEvaluationsAsync(10));
            Assert.Equal(id, row.Id);
            Assert.Equal(ArchiveSchema.LatestVersion, await ArchiveSql.UserVersionAsync(reopened.Connection));
            Assert.Equal(1L, await ArchiveSql.ScalarAsync(reopened, "SELECT count(*) FROM sqlite_schema WHERE name = 'reopen_marker';"));
            Assert.NotEqual(id, await reopened.AppendAsync(SampleEvaluations.Rejected(), Version));
        }
    }

    [Fact]
    public async Task OpenAsync_File_UsesWalAndNormalSynchronous()
    {
        using var folder = new TemporaryFolder();
        await using var archive = await SqliteArchive.OpenAsync(folder.File("archive.db"));

        Assert.Equal("wal", await ArchiveSql.ScalarAsync(archive, "PRAGMA journal_mode;"));
        Assert.Equal(1L, await ArchiveSql.ScalarAsync(archive, "PRAGMA synchronous;"));
        Assert.Equal((long)SqliteArchive.BusyTimeoutMilliseconds, await ArchiveSql.ScalarAsync(archive, "PRAGMA busy_timeout;"));
        Assert.Equal(1L, await ArchiveSql.ScalarAsync(archive, "PRAGMA foreign_keys;"));
    }

    [Fact]
    public async Task OpenAsync_MissingFolders_CreatesThemAndReportsFullPath()
    {
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, "runs", "2025", "archive.db");

        await using var archive = await SqliteArchive.OpenAsync(path);

        Assert.True(File.Exists(path));
        Assert.Equal(Path.GetFullPath(path), archive.FilePath);
    }

    [Fact]
    public async Task OpenAsync_PathUnderAFile_ThrowsArchiveUnavailableWithAdvice()
    {
        using var folder = new TemporaryFolder();
        var file = folder.File("not-a-folder");
        await File.WriteAllTextAsync(file, "plain text");
        var path = Path.Combine(file, "archive.db");

        var exception = await Assert.ThrowsAsync<ArchiveUnavailableException>(() => SqliteArchive.OpenAsync(path));

        Assert.Equal($"The archive at '{path}' can't be written; pass --archive PATH to a writable location.", exception.Message);
        Assert.Equal(path, exception.ArchivePath);
        Assert.NotNull(exception.InnerException);
    }

    [Fact]
    public async Task OpenAsync_PathIsAFolder_ThrowsArchiveUnavailableWithAdvice()
    {
        using var folder = new TemporaryFolder();

        var exception = await Assert.ThrowsAsync<ArchiveUnavailableException>(() => SqliteArchive.OpenAsync(folder.Path));

        Assert.Contains("can't be written; pass --archive PATH to a writable location.", exception.Message, StringComparison.Ordinal);
        Assert.IsType<SqliteException>(exception.InnerException);
    }

    [Fact]
    public async Task OpenAsync_FileIsNotADatabase_ThrowsArchiveUnavailableWithAdvice()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("notes.txt");
        await File.WriteAllTextAsync(path, string.Concat(Enumerable.Repeat("these are notes, not an archive\n", 100)));

        var exception = await Assert.ThrowsAsync<ArchiveUnavailableException>(() => SqliteArchive.OpenAsync(path));

        Assert.Contains("is not a SQLite archive; pass --archive PATH", exception.Message, StringComparison.Ordinal);
        Assert.Equal(26, Assert.IsType<SqliteException>(exception.InnerException).SqliteErrorCode);
        Assert.Equal("these are notes", (await File.ReadAllTextAsync(path))[..15]);
    }

    [Fact]
    public async Task OpenAsync_SchemaNewerThanThisBuild_ThrowsArchiveUnavailable()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("future.db");
        var future = ArchiveSchema.LatestVersion + 1;
        using (var raw = ArchiveSql.OpenRaw(path))
        {
            await ArchiveSql.ScalarAsync(raw, $"PRAGMA user_version = {future.ToString(CultureInfo.InvariantCulture)};");
        }

        var exception = await Assert.ThrowsAsync<ArchiveUnavailableException>(() => SqliteArchive.OpenAsync(path));

        Assert.Contains($"schema version {future.ToString(CultureInfo.InvariantCulture)}, newer than", exception.Message, StringComparison.Ordinal);
        Assert.Contains("upgrade kforge", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppendAsync_WithExplanation_StoresEveryCheckAsJson()
    {
        await using var archive = await SqliteArchive.OpenAsync(SqliteArchive.InMemoryPath);
        var result = SampleEvaluations.Rejected() with
        {
            Explanation = [new CheckRecord("static_checks", true, "0 findings"), new CheckRecord("tolerance", false, "3 poisoned")],
        };

        await archive.AppendAsync(result, Version);

        var stored = (string)(await ArchiveSql.ScalarAsync(archive, "SELECT explanation_json FROM evaluations;"))!;
        Assert.Contains("\"check\":\"tolerance\"", stored, StringComparison.Ordinal);
        Assert.Contains("\"passed\":false", stored, StringComparison.Ordinal);
    }
}
