using System.Text;

namespace KernelForge.Evaluation.Compilation;

/// <summary>Runs an <see cref="NvccStepPlan"/>: every step as soon as the steps it depends on have finished.</summary>
/// <remarks>
/// Steps run through <c>/bin/sh -c</c> (nvcc's lines use shell quoting and <c>$CICC_PATH</c>), with nvcc's variables set.
/// The first failure cancels the steps still running. The output is every finished step's output in nvcc's order, so
/// ptxas's resource report reads as it does from nvcc.
/// </remarks>
internal static class NvccStepRunner
{
    private const string Shell = "/bin/sh";

    /// <summary>Runs the plan in <paramref name="workingDirectory"/> under one deadline for all steps.</summary>
    /// <returns>Exit code 0 when every step succeeded; the failing step's code otherwise; null with <c>TimedOut</c> at the deadline.</returns>
    /// <exception cref="OperationCanceledException">The caller cancelled; running steps were killed.</exception>
    public static async Task<ToolProcessResult> RunAsync(
        NvccStepPlan plan,
        string moduleId,
        string workingDirectory,
        IReadOnlyList<KeyValuePair<string, string>> environment,
        TimeSpan timeout,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.ModuleIdFilePath is { } moduleIdFile)
        {
            await File.WriteAllTextAsync(moduleIdFile, moduleId, cancellationToken);
        }

        List<KeyValuePair<string, string>> variables = [.. environment, .. plan.Environment];
        using var deadline = new CancellationTokenSource(timeout, timeProvider);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var steps = plan.Steps;
        var runs = new Task<ToolProcessResult?>[steps.Count];
        for (var i = 0; i < steps.Count; i++)
        {
            runs[i] = RunStepAsync(i);
        }

        try
        {
            await Task.WhenAll(runs);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A step saw the deadline or the stop after a failure; the results below say which.
        }

        cancellationToken.ThrowIfCancellationRequested();
        var output = new StringBuilder();
        foreach (var run in runs)
        {
            var result = run.IsCompletedSuccessfully ? run.Result : null;
            if (result is null)
            {
                continue;
            }

            output.Append(result.Output);
            if (result.TimedOut)
            {
                return new ToolProcessResult(ExitCode: null, output.ToString(), TimedOut: true);
            }

            if (result.ExitCode != 0)
            {
                return new ToolProcessResult(result.ExitCode, output.ToString(), TimedOut: false);
            }
        }

        return deadline.IsCancellationRequested || runs.Any(run => !run.IsCompletedSuccessfully || run.Result is null)
            ? new ToolProcessResult(ExitCode: null, output.ToString(), TimedOut: deadline.IsCancellationRequested)
            : new ToolProcessResult(0, output.ToString(), TimedOut: false);

        async Task<ToolProcessResult?> RunStepAsync(int index)
        {
            foreach (var dependency in steps[index].DependsOn)
            {
                var before = await runs[dependency];
                if (before is null || before.ExitCode != 0)
                {
                    return null;
                }
            }

            stop.Token.ThrowIfCancellationRequested();
            var result = await ToolProcess.RunAsync(Shell, ["-c", steps[index].CommandLine], workingDirectory, timeout, timeProvider, stop.Token, variables);
            if (result.ExitCode != 0)
            {
                await stop.CancelAsync();
            }

            return result;
        }
    }
}
