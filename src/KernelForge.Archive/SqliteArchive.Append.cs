using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using KernelForge.Archive.Json;
using KernelForge.Archive.Queries;
using KernelForge.Core;
using Microsoft.Data.Sqlite;

namespace KernelForge.Archive;

/// <summary>Appending evaluations: the one write path into the archive.</summary>
public sealed partial class SqliteArchive
{
    private const string UpsertProblemSql = """
        INSERT INTO problems (hash, name, path, bytes_moved, tensors_json, outputs_json, seeds_json, warnings_json, first_seen_at)
        VALUES ($hash, $name, $path, $bytes_moved, $tensors_json, $outputs_json, $seeds_json, $warnings_json, $first_seen_at)
        ON CONFLICT (hash) DO UPDATE SET name = excluded.name, path = excluded.path;
        """;

    private const string InsertCandidateSql = """
        INSERT INTO candidates (id, source, format, origin, first_seen_at)
        VALUES ($id, $source, $format, $origin, $first_seen_at)
        ON CONFLICT (id) DO NOTHING;
        """;

    private const string InsertEvaluationSql = """
        INSERT INTO evaluations (
            candidate_id, problem_hash, precision, verdict, reached_stage, failure_kind, failure_message,
            compile_seconds, compile_cache_hit, compile_log, kernels_json, checks_json,
            candidate_median_us, candidate_iqr_us, candidate_min_us, candidate_samples_json,
            eager_median_us, eager_samples_json, compiled_median_us, compiled_samples_json,
            speedup_over_eager, speedup_over_compiled, bytes_moved, memory_floor_us, fraction_of_floor, l2_flushed,
            environment_json, gpu_name, warnings_json, explanation_json, finished_at, kforge_version)
        VALUES (
            $candidate_id, $problem_hash, $precision, $verdict, $reached_stage, $failure_kind, $failure_message,
            $compile_seconds, $compile_cache_hit, $compile_log, $kernels_json, $checks_json,
            $candidate_median_us, $candidate_iqr_us, $candidate_min_us, $candidate_samples_json,
            $eager_median_us, $eager_samples_json, $compiled_median_us, $compiled_samples_json,
            $speedup_over_eager, $speedup_over_compiled, $bytes_moved, $memory_floor_us, $fraction_of_floor, $l2_flushed,
            $environment_json, $gpu_name, $warnings_json, $explanation_json, $finished_at, $kforge_version)
        RETURNING id;
        """;

    /// <summary>
    /// Records one evaluation: upserts its problem and candidate, appends the evaluation, and returns the new
    /// evaluation's id. Rejected results are recorded as faithfully as accepted ones.
    /// </summary>
    /// <remarks>One transaction per call: after it returns the evaluation survives a killed process.</remarks>
    public async Task<long> AppendAsync(EvaluationResult result, string kforgeVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentException.ThrowIfNullOrWhiteSpace(kforgeVersion);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            await using var transaction = (SqliteTransaction)await _connection.BeginTransactionAsync(cancellationToken);
            if (result.Problem is { } problem)
            {
                await UpsertProblemAsync(problem, result.FinishedAt, transaction, cancellationToken);
            }

            await InsertCandidateAsync(result.Candidate, result.FinishedAt, transaction, cancellationToken);
            var id = await InsertEvaluationAsync(result, kforgeVersion, transaction, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return id;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task UpsertProblemAsync(ProblemInfo problem, DateTimeOffset seenAt, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        var json = ArchiveJsonContext.Default;
        await using var command = NewCommand(UpsertProblemSql, transaction);
        Bind(command, "$hash", problem.Hash);
        Bind(command, "$name", problem.Name);
        Bind(command, "$path", problem.Path);
        Bind(command, "$bytes_moved", problem.BytesMoved);
        Bind(command, "$tensors_json", Json(problem.Tensors, json.IReadOnlyListTensorSpec));
        Bind(command, "$outputs_json", Json(problem.Outputs, json.IReadOnlyListTensorSpec));
        Bind(command, "$seeds_json", Json(problem.Seeds, json.IReadOnlyListInt64));
        Bind(command, "$warnings_json", Json(problem.Warnings, json.IReadOnlyListString));
        Bind(command, "$first_seen_at", ColumnValues.FormatTimestamp(seenAt));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task InsertCandidateAsync(Candidate candidate, DateTimeOffset seenAt, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = NewCommand(InsertCandidateSql, transaction);
        Bind(command, "$id", candidate.Id);
        Bind(command, "$source", candidate.Source);
        Bind(command, "$format", ColumnValues.EnumName(candidate.Format));
        Bind(command, "$origin", candidate.Origin);
        Bind(command, "$first_seen_at", ColumnValues.FormatTimestamp(seenAt));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<long> InsertEvaluationAsync(EvaluationResult result, string kforgeVersion, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        var json = ArchiveJsonContext.Default;
        var candidateTiming = result.CandidateTiming;
        await using var command = NewCommand(InsertEvaluationSql, transaction);
        Bind(command, "$candidate_id", result.Candidate.Id);
        Bind(command, "$problem_hash", result.Problem?.Hash);
        Bind(command, "$precision", ColumnValues.EnumName(result.Precision));
        Bind(command, "$verdict", ColumnValues.EnumName(result.Accepted ? EvaluationVerdict.Accepted : result.Correct ? EvaluationVerdict.Correct : EvaluationVerdict.Rejected));
        Bind(command, "$reached_stage", ColumnValues.EnumName(result.ReachedStage));
        Bind(command, "$failure_kind", result.Failure?.Value);
        Bind(command, "$failure_message", result.FailureMessage);

        Bind(command, "$compile_seconds", result.Compile?.Seconds);
        Bind(command, "$compile_cache_hit", result.Compile?.CacheHit);
        Bind(command, "$compile_log", result.Compile?.Log);
        Bind(command, "$kernels_json", result.Compile is { } compile ? Json(compile.Kernels, json.IReadOnlyListKernelResourceUsage) : null);
        Bind(command, "$checks_json", Json(result.Checks, json.IReadOnlyListInputSetCheck));

        Bind(command, "$candidate_median_us", candidateTiming?.MedianMicroseconds);
        Bind(command, "$candidate_iqr_us", candidateTiming?.InterquartileRangeMicroseconds);
        Bind(command, "$candidate_min_us", candidateTiming?.MinMicroseconds);
        Bind(command, "$candidate_samples_json", Samples(candidateTiming));
        Bind(command, "$eager_median_us", result.EagerTiming?.MedianMicroseconds);
        Bind(command, "$eager_samples_json", Samples(result.EagerTiming));
        Bind(command, "$compiled_median_us", result.CompiledTiming?.MedianMicroseconds);
        Bind(command, "$compiled_samples_json", Samples(result.CompiledTiming));
        Bind(command, "$speedup_over_eager", result.SpeedupOverEager);
        Bind(command, "$speedup_over_compiled", result.SpeedupOverCompiled);
        Bind(command, "$bytes_moved", result.Problem?.BytesMoved);
        Bind(command, "$memory_floor_us", result.MemoryFloorMicroseconds);
        Bind(command, "$fraction_of_floor", result.FractionOfFloor);
        Bind(command, "$l2_flushed", candidateTiming?.L2Flushed);

        Bind(command, "$environment_json", result.Environment is { } environment ? Json(environment, json.EnvironmentInfo) : null);
        Bind(command, "$gpu_name", result.Environment?.GpuName);
        Bind(command, "$warnings_json", Json(result.Warnings, json.IReadOnlyListString));
        Bind(command, "$explanation_json", Json(result.Explanation, json.IReadOnlyListCheckRecord));
        Bind(command, "$finished_at", ColumnValues.FormatTimestamp(result.FinishedAt));
        Bind(command, "$kforge_version", kforgeVersion);

        var id = await command.ExecuteScalarAsync(cancellationToken);
        return (long)id!;
    }

    private SqliteCommand NewCommand(string sql, SqliteTransaction transaction)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    // Values go in as typed parameters (doubles as IEEE REALs, never as text), so the current culture cannot reach them.
    private static void Bind(SqliteCommand command, string name, object? value) =>
        command.Parameters.AddWithValue(name, value ?? DBNull.Value);

    private static string Json<T>(T value, JsonTypeInfo<T> typeInfo) => JsonSerializer.Serialize(value, typeInfo);

    private static string? Samples(TimingSummary? timing) =>
        timing is null ? null : Json(timing.SamplesMicroseconds, ArchiveJsonContext.Default.IReadOnlyListDouble);
}
