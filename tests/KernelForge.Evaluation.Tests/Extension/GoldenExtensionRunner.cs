using System.Text.Json.Nodes;
using KernelForge.Evaluation.Extension;
using KernelForge.Evaluation.Tests.Worker;
using KernelForge.Evaluation.Worker;

namespace KernelForge.Evaluation.Tests.Extension;

/// <summary>
/// A stand-in extension runner for contract tests: a tiny Python script that answers each op with the golden response
/// of the <c>worker/protocol-examples/extension_*.jsonl</c> file whose request has that op (id rewritten), and records
/// the requests it received. Started the way the real one is, as <c>python3 -m kforge_worker.extension</c>.
/// </summary>
internal sealed class GoldenExtensionRunner : IAsyncDisposable
{
    private const string Script = """
        import json, sys
        record, goldens = sys.argv[1], sys.argv[2:]
        responses = {}
        for golden in goldens:
            request_line, response_line = open(golden).read().splitlines()[:2]
            responses[json.loads(request_line)["op"]] = json.loads(response_line)
        with open(record, "a") as out:
            for line in sys.stdin:
                request = json.loads(line)
                out.write(line)
                out.flush()
                if request["op"] == "shutdown":
                    print(json.dumps({"v": 1, "id": request["id"], "ok": True}), flush=True)
                    break
                response = responses.get(request["op"])
                if response is None:
                    response = {"v": 1, "ok": False, "error": {"kind": "bad_request", "message": "no golden for " + request["op"]}}
                response["id"] = request["id"]
                print(json.dumps(response), flush=True)
        """;

    private readonly string _directory;

    private GoldenExtensionRunner(string directory, ExtensionRunnerClient client)
    {
        _directory = directory;
        Client = client;
    }

    public ExtensionRunnerClient Client { get; }

    /// <summary>The golden request line of <paramref name="name"/> (e.g. "extension_load").</summary>
    public static JsonObject GoldenRequest(string name) => GoldenLine(name, 0);

    /// <summary>The golden response line of <paramref name="name"/>.</summary>
    public static JsonObject GoldenResponse(string name) => GoldenLine(name, 1);

    /// <summary>A fake that answers with the goldens <paramref name="names"/> (one per op).</summary>
    public static GoldenExtensionRunner Start(params string[] names)
    {
        var directory = Directory.CreateTempSubdirectory("kforge-golden-ext-").FullName;
        var script = Path.Combine(directory, "fake_extension_runner.py");
        File.WriteAllText(script, Script);
        // The client starts "python -m kforge_worker.extension"; a wrapper package with that name runs the script.
        var package = Path.Combine(directory, "kforge_worker", "extension");
        Directory.CreateDirectory(package);
        File.WriteAllText(Path.Combine(directory, "kforge_worker", "__init__.py"), "");
        File.WriteAllText(Path.Combine(package, "__init__.py"), "");
        var arguments = string.Join(", ", [Quote(Path.Combine(directory, "requests.jsonl")), .. names.Select(name => Quote(GoldenPath(name)))]);
        File.WriteAllText(Path.Combine(package, "__main__.py"),
            $"import runpy, sys\nsys.argv = ['fake', {arguments}]\nrunpy.run_path({Quote(script)}, run_name='__main__')\n");
        var client = ExtensionRunnerClient.Create(new WorkerOptions("python3", directory, Device: 0));
        return new GoldenExtensionRunner(directory, client);
    }

    /// <summary>The requests the fake received, parsed.</summary>
    public IReadOnlyList<JsonObject> Requests() =>
        [.. File.ReadAllLines(Path.Combine(_directory, "requests.jsonl")).Select(line => JsonNode.Parse(line)!.AsObject())];

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static string GoldenPath(string name) => Path.Combine(GoldenWorker.ExamplesDirectory, name + ".jsonl");

    private static JsonObject GoldenLine(string name, int index) => JsonNode.Parse(File.ReadAllLines(GoldenPath(name))[index])!.AsObject();

    private static string Quote(string text) => "'" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";
}
