using KernelForge.Archive.Queries;
using KernelForge.Core;

namespace KernelForge.Archive.Tests;

public sealed class ColumnValuesTests
{
    [Fact]
    public void EnumName_Values_AreSnakeCaseAsTheSchemaDocuments()
    {
        Assert.Equal("strict", ColumnValues.EnumName(PrecisionPolicy.Strict));
        Assert.Equal("tf32", ColumnValues.EnumName(PrecisionPolicy.Tf32));
        Assert.Equal("kernel_bench", ColumnValues.EnumName(PrecisionPolicy.KernelBench));
        Assert.Equal("torch_extension", ColumnValues.EnumName(CandidateFormat.TorchExtension));
        Assert.Equal("abi", ColumnValues.EnumName(CandidateFormat.Abi));
        Assert.Equal("accepted", ColumnValues.EnumName(EvaluationVerdict.Accepted));
        Assert.Equal("check", ColumnValues.EnumName(EvaluationStage.Check));
    }

    [Fact]
    public void ParseEnum_EveryStage_RoundTrips()
    {
        foreach (var stage in Enum.GetValues<EvaluationStage>())
        {
            Assert.Equal(stage, ColumnValues.ParseEnum<EvaluationStage>(ColumnValues.EnumName(stage)));
        }
    }

    [Fact]
    public void ParseEnum_UnknownName_ThrowsInvalidDataNamingTheValue()
    {
        var exception = Assert.Throws<InvalidDataException>(() => ColumnValues.ParseEnum<PrecisionPolicy>("fp8_loose"));

        Assert.Contains("'fp8_loose'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FormatTimestamp_NonUtcOffset_WritesSortableUtcAndParsesBack()
    {
        var local = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.FromHours(-7)).AddTicks(1234567);

        var text = ColumnValues.FormatTimestamp(local);

        Assert.Equal("2025-01-02T10:04:05.1234567Z", text);
        Assert.Equal(local, ColumnValues.ParseTimestamp(text));
        Assert.Equal(TimeSpan.Zero, ColumnValues.ParseTimestamp(text).Offset);
    }
}
