namespace KernelForge.Archive.Tests.Queries;

public sealed class RecentEvaluationsQueryTests
{
    private const string Version = "0.1.0-test";

    [Fact]
    public async Task RecentEvaluationsAsync_ProblemHash_ReturnsOnlyThatProblemNewestFirst()
    {
        await using var archive = await SqliteArchive.OpenAsync(SqliteArchive.InMemoryPath);
        var relu = SampleEvaluations.Problem();
        var gelu = SampleEvaluations.Problem("26_GELU_", "problems/level1/26_GELU_.py");
        var firstRelu = await archive.AppendAsync(SampleEvaluations.Accepted(problem: relu), Version);
        await archive.AppendAsync(SampleEvaluations.Accepted(problem: gelu), Version);
        var secondRelu = await archive.AppendAsync(SampleEvaluations.Rejected(problem: relu), Version);

        var rows = await archive.RecentEvaluationsAsync(10, relu.Hash);

        Assert.Equal([secondRelu, firstRelu], rows.Select(row => row.Id));
        Assert.All(rows, row => Assert.Equal("19_ReLU", row.ProblemName));
    }

    [Fact]
    public async Task RecentEvaluationsAsync_Limit_ReturnsNewestOnly()
    {
        await using var archive = await SqliteArchive.OpenAsync(SqliteArchive.InMemoryPath);
        var ids = new List<long>();
        for (var index = 0; index < 5; index++)
        {
            ids.Add(await archive.AppendAsync(SampleEvaluations.Accepted(candidateMedianMicroseconds: 10 + index), Version));
        }

        var rows = await archive.RecentEvaluationsAsync(2);

        Assert.Equal([ids[4], ids[3]], rows.Select(row => row.Id));
        Assert.Equal([14.0, 13.0], rows.Select(row => row.CandidateMedianMicroseconds!.Value));
    }

    [Fact]
    public async Task RecentEvaluationsAsync_UnknownProblemHash_ReturnsEmpty()
    {
        await using var archive = await SqliteArchive.OpenAsync(SqliteArchive.InMemoryPath);
        await archive.AppendAsync(SampleEvaluations.Accepted(), Version);

        Assert.Empty(await archive.RecentEvaluationsAsync(10, "0000"));
    }

    [Fact]
    public async Task RecentEvaluationsAsync_ProblemRenamed_ShowsLatestName()
    {
        await using var archive = await SqliteArchive.OpenAsync(SqliteArchive.InMemoryPath);
        var problem = SampleEvaluations.Problem();
        await archive.AppendAsync(SampleEvaluations.Accepted(problem: problem), Version);

        await archive.AppendAsync(SampleEvaluations.Accepted(problem: problem with { Name = "relu_renamed", Path = "elsewhere/relu.py" }), Version);

        var rows = await archive.RecentEvaluationsAsync(10);
        Assert.Equal(2, rows.Count);
        Assert.All(rows, row => Assert.Equal("relu_renamed", row.ProblemName));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task RecentEvaluationsAsync_NonPositiveLimit_Throws(int limit)
    {
        await using var archive = await SqliteArchive.OpenAsync(SqliteArchive.InMemoryPath);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => archive.RecentEvaluationsAsync(limit));
    }
}
