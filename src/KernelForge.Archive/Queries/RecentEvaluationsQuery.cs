using KernelForge.Core;
using Microsoft.Data.Sqlite;

namespace KernelForge.Archive.Queries;

/// <summary>The newest evaluations first, optionally of one problem: the listing a history view starts from.</summary>
internal static class RecentEvaluationsQuery
{
    private const string SelectColumns = """
        SELECT e.id, e.candidate_id, e.problem_hash, p.name, e.precision, e.verdict, e.reached_stage,
               e.failure_kind, e.failure_message, e.candidate_median_us, e.candidate_iqr_us,
               e.eager_median_us, e.compiled_median_us, e.speedup_over_eager, e.speedup_over_compiled,
               e.fraction_of_floor, e.gpu_name, e.finished_at, e.kforge_version
        FROM evaluations AS e
        LEFT JOIN problems AS p ON p.hash = e.problem_hash
        """;

    // Two statements rather than "$problem_hash IS NULL OR …", so the filtered one can use evaluations_problem_hash.
    private const string AllProblemsSql = SelectColumns + "\nORDER BY e.id DESC\nLIMIT $limit;";

    private const string OneProblemSql = SelectColumns + "\nWHERE e.problem_hash = $problem_hash\nORDER BY e.id DESC\nLIMIT $limit;";

    public static async Task<IReadOnlyList<EvaluationRow>> RunAsync(
        SqliteConnection connection,
        int limit,
        string? problemHash,
        CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = problemHash is null ? AllProblemsSql : OneProblemSql;
        command.Parameters.AddWithValue("$limit", limit);
        if (problemHash is not null)
        {
            command.Parameters.AddWithValue("$problem_hash", problemHash);
        }

        var rows = new List<EvaluationRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(Read(reader));
        }

        return rows;
    }

    private static EvaluationRow Read(SqliteDataReader reader) => new(
        Id: reader.GetInt64(0),
        CandidateId: reader.GetString(1),
        ProblemHash: NullableString(reader, 2),
        ProblemName: NullableString(reader, 3),
        Precision: ColumnValues.ParseEnum<PrecisionPolicy>(reader.GetString(4)),
        Verdict: ColumnValues.ParseEnum<EvaluationVerdict>(reader.GetString(5)),
        ReachedStage: ColumnValues.ParseEnum<EvaluationStage>(reader.GetString(6)),
        Failure: NullableString(reader, 7) is { } failure ? new FailureKind(failure) : null,
        FailureMessage: NullableString(reader, 8),
        CandidateMedianMicroseconds: NullableDouble(reader, 9),
        CandidateInterquartileRangeMicroseconds: NullableDouble(reader, 10),
        EagerMedianMicroseconds: NullableDouble(reader, 11),
        CompiledMedianMicroseconds: NullableDouble(reader, 12),
        SpeedupOverEager: NullableDouble(reader, 13),
        SpeedupOverCompiled: NullableDouble(reader, 14),
        FractionOfFloor: NullableDouble(reader, 15),
        GpuName: NullableString(reader, 16),
        FinishedAt: ColumnValues.ParseTimestamp(reader.GetString(17)),
        KforgeVersion: reader.GetString(18));

    private static string? NullableString(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static double? NullableDouble(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);
}
