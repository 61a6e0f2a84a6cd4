using System.Text.RegularExpressions;

namespace KernelForge.Evaluation.Compilation;

/// <summary>One command of nvcc's compilation trajectory, as <c>nvcc --dryrun</c> prints it, and the steps it must wait for.</summary>
/// <param name="CommandLine">The shell command line, as nvcc printed it (run with <c>/bin/sh -c</c>).</param>
/// <param name="Tool">The executable's file name: <c>cicc</c>, <c>ptxas</c>, <c>gcc</c>, …</param>
/// <param name="DependsOn">Indexes of earlier steps that must finish first.</param>
public sealed record NvccStep(string CommandLine, string Tool, IReadOnlyList<int> DependsOn);

/// <summary>
/// nvcc's own steps for one build, read from <c>nvcc --dryrun</c>, arranged so that independent ones run at the same time.
/// </summary>
/// <remarks>
/// nvcc runs its steps one after another, though its trajectory (NVIDIA's nvcc documentation, "The CUDA Compilation
/// Trajectory") has two branches that only meet at the host compile: the device branch (preprocess with
/// <c>__CUDA_ARCH__</c> → cicc → ptxas → fatbinary) and the host branch (preprocess → cudafe++). Measured on an H100 host
/// (nvcc 13.0, 2026-11-23) the steps of one small kernel take 2.2 s in a row, of which the host branch is 0.57 s.
/// <para>
/// The rules, in one place: a host-compiler preprocessing step (<c>-E</c>) waits for nothing; cicc and cudafe++ wait only
/// for the preprocessing step whose output they read; every other step waits for every step before it. The one file the
/// branches share is the module id (one of cicc and cudafe++ writes it with <c>--gen_module_id_file</c>, the other reads
/// it); the plan drops that flag and has the caller write the id first (<see cref="ModuleIdFilePath"/>), so neither waits
/// for the other. Anything unexpected (an unknown NVIDIA tool, two module-id writers, no steps) yields no plan, and the
/// caller runs plain nvcc. A build that fails under the plan is rebuilt by plain nvcc, whose verdict and log count.
/// </para>
/// </remarks>
public sealed partial class NvccStepPlan
{
    private static readonly HashSet<string> KnownNvidiaTools = new(StringComparer.Ordinal)
    {
        "cicc", "cudafe++", "ptxas", "fatbinary", "nvlink", "rm", "nvcc",
    };

    private NvccStepPlan(IReadOnlyList<KeyValuePair<string, string>> environment, IReadOnlyList<NvccStep> steps, string? moduleIdFilePath)
    {
        Environment = environment;
        Steps = steps;
        ModuleIdFilePath = moduleIdFilePath;
    }

    /// <summary>Variables nvcc sets for its steps (<c>PATH</c>, <c>CICC_PATH</c>, …), in the order it printed them.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Environment { get; }

    /// <summary>The steps in nvcc's order; each waits for its <see cref="NvccStep.DependsOn"/>.</summary>
    public IReadOnlyList<NvccStep> Steps { get; }

    /// <summary>Where the module id must be written before any step starts; null when the build has none.</summary>
    public string? ModuleIdFilePath { get; }

    /// <summary>
    /// A module id of the shape nvcc writes (<c>_&lt;hash&gt;_&lt;length&gt;_&lt;name&gt;_&lt;hash&gt;</c>), from the source's content hash,
    /// so the same source builds to the same bytes.
    /// </summary>
    public static string ModuleIdFor(string sourceFileName, string sourceContentHash)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourceFileName);
        ArgumentException.ThrowIfNullOrEmpty(sourceContentHash);
        if (sourceContentHash.Length < 16)
        {
            throw new ArgumentException("Need at least 16 hex digits of hash.", nameof(sourceContentHash));
        }

        var name = NonIdentifierCharacter().Replace(sourceFileName, "_");
        return $"_{sourceContentHash[..8]}_{name.Length}_{name}_{sourceContentHash[8..16]}";
    }

    /// <summary>Reads <c>nvcc --dryrun</c> output (its stderr) into a plan; null when it is not the shape this class knows.</summary>
    public static NvccStepPlan? Parse(string dryRunOutput)
    {
        ArgumentNullException.ThrowIfNull(dryRunOutput);
        List<KeyValuePair<string, string>> environment = [];
        List<string> commands = [];
        foreach (var rawLine in dryRunOutput.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (!line.StartsWith("#$ ", StringComparison.Ordinal))
            {
                continue;
            }

            var body = line[3..];
            var assignment = Assignment().Match(body);
            if (assignment.Success)
            {
                environment.Add(KeyValuePair.Create(assignment.Groups["name"].Value, assignment.Groups["value"].Value.Trim()));
            }
            else if (body.Trim().Length > 0)
            {
                commands.Add(body.Trim());
            }
        }

        if (commands.Count == 0)
        {
            return null;
        }

        string? moduleIdFile = null;
        var tools = new string[commands.Count];
        for (var i = 0; i < commands.Count; i++)
        {
            tools[i] = ToolName(commands[i]);
            if (tools[i] == "rm")
            {
                // nvcc ignores a failed clean-up (the file it removes is not always written); so does the plan.
                commands[i] = "rm -f" + commands[i][2..];
            }

            if (commands[i].Contains(" --gen_module_id_file", StringComparison.Ordinal))
            {
                var path = ModuleIdFileOption().Match(commands[i]);
                if (moduleIdFile is not null || !path.Success)
                {
                    return null;
                }

                moduleIdFile = path.Groups["path"].Value;
                commands[i] = commands[i].Replace(" --gen_module_id_file", string.Empty, StringComparison.Ordinal);
            }
        }

        // An NVIDIA tool this plan has not seen may depend on anything: run plain nvcc instead of guessing.
        if (tools.Any(tool => !KnownNvidiaTools.Contains(tool) && !IsHostCompiler(tool)))
        {
            return null;
        }

        List<NvccStep> steps = [];
        for (var i = 0; i < commands.Count; i++)
        {
            steps.Add(new NvccStep(commands[i], tools[i], DependenciesOf(i, commands, tools)));
        }

        return new NvccStepPlan(environment, steps, moduleIdFile);
    }

    private static int[] DependenciesOf(int index, List<string> commands, string[] tools)
    {
        var command = commands[index];
        if (IsPreprocessing(command, tools[index]))
        {
            return [];
        }

        if (tools[index] is "cicc" or "cudafe++")
        {
            var inputs = Enumerable.Range(0, index)
                .Where(j => IsPreprocessing(commands[j], tools[j]) && OutputOf(commands[j]) is { } output && command.Contains(output, StringComparison.Ordinal))
                .ToArray();
            if (inputs.Length == 1)
            {
                return inputs;
            }
        }

        return [.. Enumerable.Range(0, index)];
    }

    private static bool IsPreprocessing(string command, string tool) => IsHostCompiler(tool) && command.Contains(" -E ", StringComparison.Ordinal);

    private static bool IsHostCompiler(string tool) =>
        !KnownNvidiaTools.Contains(tool) && (tool.Contains("gcc", StringComparison.Ordinal) || tool.Contains("g++", StringComparison.Ordinal)
            || tool.Contains("clang", StringComparison.Ordinal) || tool is "cc" or "c++" or "icpx" or "nvc++");

    private static string? OutputOf(string command)
    {
        var match = OutputOption().Match(command);
        return match.Success ? match.Groups["path"].Value : null;
    }

    private static string ToolName(string command)
    {
        var first = command.StartsWith('"') ? command[1..command.IndexOf('"', 1)] : command.Split(' ', 2)[0];
        return first[(first.LastIndexOf('/') + 1)..];
    }

    [GeneratedRegex(@"^(?<name>[A-Za-z_][A-Za-z0-9_]*)=(?<value>.*)$")]
    private static partial Regex Assignment();

    [GeneratedRegex(@"--module_id_file_name ""(?<path>[^""]+)""")]
    private static partial Regex ModuleIdFileOption();

    [GeneratedRegex(@" -o ""(?<path>[^""]+)""")]
    private static partial Regex OutputOption();

    [GeneratedRegex("[^A-Za-z0-9]")]
    private static partial Regex NonIdentifierCharacter();
}
