using System.Text.Json.Nodes;
using KernelForge.Evaluation.Tests.Compilation;
using KernelForge.Evaluation.Worker;

namespace KernelForge.Evaluation.Tests.Worker;

/// <summary>
/// A stand-in worker for contract tests: a tiny Python script that answers every request with the golden response
/// from <c>worker/protocol-examples</c> (id rewritten) and records the requests it received.
/// </summary>
internal sealed class GoldenWorker : IAsyncDisposable
{
    private const string Script = """
        import json, sys
        golden, record = sys.argv[1], sys.argv[2]
        response = json.loads(open(golden).read().splitlines()[1])
        with open(record, "a") as out:
            for line in sys.stdin:
                request = json.loads(line)
                out.write(line)
                out.flush()
                response["id"] = request["id"]
                if request["op"] == "shutdown":
                    print(json.dumps({"v": 1, "id": request["id"], "ok": True}), flush=True)
                    break
                print(json.dumps(response), flush=True)
        """;

    private readonly string _directory;

    private GoldenWorker(string directory, WorkerClient client, string goldenPath)
    {
        _directory = directory;
        Client = client;
        GoldenPath = goldenPath;
    }

    public WorkerClient Client { get; }

    public string GoldenPath { get; }

    public static string ExamplesDirectory => Path.Combine(Path.GetDirectoryName(TestPaths.AbiDirectory)!, "worker", "protocol-examples");

    /// <summary>The golden request line of <paramref name="name"/> (e.g. "check").</summary>
    public static JsonObject GoldenRequest(string name) =>
        JsonNode.Parse(File.ReadAllLines(Path.Combine(ExamplesDirectory, name + ".jsonl"))[0])!.AsObject();

    public static GoldenWorker Start(string name) => Start(name, response => response);

    /// <summary>As <see cref="Start(string)"/>, answering with the golden response line as <paramref name="editResponse"/> changes it.</summary>
    public static GoldenWorker Start(string name, Func<string, string> editResponse)
    {
        var directory = Directory.CreateTempSubdirectory("kforge-golden-").FullName;
        var script = Path.Combine(directory, "fake_worker.py");
        File.WriteAllText(script, Script);
        var lines = File.ReadAllLines(Path.Combine(ExamplesDirectory, name + ".jsonl"));
        var golden = Path.Combine(directory, name + ".jsonl");
        File.WriteAllLines(golden, [lines[0], editResponse(lines[1])]);
        // WorkerClient starts "python -m kforge_worker"; a wrapper package with that name runs the golden script.
        var package = Path.Combine(directory, "kforge_worker");
        Directory.CreateDirectory(package);
        File.WriteAllText(Path.Combine(package, "__init__.py"), "");
        File.WriteAllText(Path.Combine(package, "__main__.py"),
            $"import runpy, sys\nsys.argv = ['fake', {Quote(golden)}, {Quote(Path.Combine(directory, "requests.jsonl"))}]\nrunpy.run_path({Quote(script)}, run_name='__main__')\n");
        var client = WorkerClient.Start(new WorkerOptions("python3", directory, Device: 0));
        return new GoldenWorker(directory, client, golden);
    }

    /// <summary>The requests the fake received, parsed.</summary>
    public IReadOnlyList<JsonObject> Requests() =>
        [.. File.ReadAllLines(Path.Combine(_directory, "requests.jsonl")).Select(line => JsonNode.Parse(line)!.AsObject())];

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static string Quote(string text) => "'" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";
}
