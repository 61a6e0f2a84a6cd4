namespace KernelForge.Cli.Tests;

/// <summary>
/// A stand-in for the reference worker that the CLI starts through <c>KFORGE_PYTHON</c>: it answers <c>hello</c> with
/// a torch version (or none) and every other request with one scripted response, and records the requests it got.
/// </summary>
/// <remarks>Sets <c>KFORGE_PYTHON</c> for the process until disposed; use it only in the serial test collection.</remarks>
internal sealed class ScriptedWorker : IDisposable
{
    private const string Script = """
        import json, sys
        response_path, record_path, torch_version = sys.argv[1], sys.argv[2], sys.argv[3]
        with open(record_path, "a") as record:
            for line in sys.stdin:
                request = json.loads(line)
                record.write(line)
                record.flush()
                if request["op"] == "hello":
                    body = {"ok": True, "worker_version": "test", "protocol_version": 1,
                            "environment": {"torch_version": torch_version or None}}
                elif request["op"] == "shutdown":
                    body = {"ok": True}
                else:
                    body = json.loads(open(response_path).read())
                print(json.dumps({"v": 1, "id": request["id"], **body}), flush=True)
                if request["op"] == "shutdown":
                    break
        """;

    private readonly string _directory;
    private readonly string? _previousPython;

    /// <summary>A worker answering every request but hello and shutdown with <paramref name="response"/> (a JSON body without v and id); an empty <paramref name="torchVersion"/> says torch is missing.</summary>
    public ScriptedWorker(string response, string torchVersion = "2.5.1")
    {
        _directory = System.IO.Directory.CreateTempSubdirectory("kforge-scripted-worker-").FullName;
        var script = Path.Combine(_directory, "worker.py");
        File.WriteAllText(script, Script);
        File.WriteAllText(Path.Combine(_directory, "response.json"), response);
        var python = Path.Combine(_directory, "python");
        File.WriteAllText(python, $"#!/bin/sh\nexec python3 '{script}' '{Path.Combine(_directory, "response.json")}' '{RecordPath}' '{torchVersion}'\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(python, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        _previousPython = Environment.GetEnvironmentVariable("KFORGE_PYTHON");
        Environment.SetEnvironmentVariable("KFORGE_PYTHON", python);
    }

    /// <summary>A scratch folder, deleted with the worker.</summary>
    public string Folder => _directory;

    private string RecordPath => Path.Combine(_directory, "requests.jsonl");

    /// <summary>The requests received, as JSON lines.</summary>
    public IReadOnlyList<string> Requests() => File.Exists(RecordPath) ? File.ReadAllLines(RecordPath) : [];

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("KFORGE_PYTHON", _previousPython);
        System.IO.Directory.Delete(_directory, recursive: true);
    }
}
