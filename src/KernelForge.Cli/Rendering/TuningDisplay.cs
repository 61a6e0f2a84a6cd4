using KernelForge.Search.Tuning;
using Spectre.Console;

namespace KernelForge.Cli.Rendering;

/// <summary>
/// Live progress of <c>kforge optimize</c>: a Spectre status line (variants tried, accepted, best median so far, the
/// session's current step) on a terminal, one plain line per evaluation when output is redirected, nothing with --json.
/// </summary>
/// <remarks>Callbacks run synchronously on the caller's thread, so lines come out in evaluation order.</remarks>
internal sealed class TuningDisplay(IAnsiConsole console, bool live, bool quiet)
{
    private StatusContext? _status;
    private string _stage = "starting";
    private TuningProgress? _last;

    public IProgress<string> SessionProgress => new CallbackProgress<string>(Stage);

    public IProgress<TuningProgress> TuningProgress => new CallbackProgress<TuningProgress>(OnTuning);

    public async Task<T> RunAsync<T>(Func<Task<T>> work)
    {
        if (!live)
        {
            return await work();
        }

        return await console.Status().StartAsync(Markup.Escape(_stage), async context =>
        {
            _status = context;
            try
            {
                return await work();
            }
            finally
            {
                _status = null;
            }
        });
    }

    public void Stage(string message)
    {
        _stage = message;
        Refresh();
    }

    /// <summary>One line of counts: <c>tried 7 of 32 · accepted 6 · best 182.30 µs</c>.</summary>
    public static string Summary(TuningProgress progress) =>
        $"tried {progress.Tried} of {progress.Planned} · accepted {progress.Accepted} · best {Format.Microseconds(progress.BestMedianMicroseconds)}";

    private void OnTuning(TuningProgress progress)
    {
        var previousBest = _last?.BestMedianMicroseconds;
        _last = progress;
        var latest = progress.Latest;
        var verdict = latest.Evaluation.Accepted ? Format.Microseconds(latest.MedianMicroseconds) : "rejected: " + (latest.Evaluation.Failure?.Value ?? "unknown");
        var improved = progress.BestMedianMicroseconds is { } best && (previousBest is null || best < previousBest) && latest.MedianMicroseconds == best;
        if (!quiet && (!live || improved))
        {
            var marker = improved ? "[green]new best[/]" : "[grey]tried[/]";
            console.MarkupLine($"{marker} {Markup.Escape(ScheduleText.Describe(latest.Schedules))}: {Markup.Escape(verdict)}  [grey]({Markup.Escape(Summary(progress))})[/]");
        }

        Refresh();
    }

    private void Refresh()
    {
        if (_status is { } status)
        {
            var counts = _last is null ? "" : Summary(_last) + " · ";
            status.Status(Markup.Escape(counts + _stage));
        }
    }

    private sealed class CallbackProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
