using KernelForge.Evaluation.Compilation;

namespace KernelForge.Evaluation.Tests.Compilation;

public sealed class CudnnLocatorTests : IDisposable
{
    private readonly TemporaryDirectory _temp = new();
    private readonly Dictionary<string, string> _environment = [];
    private string? _pythonAnswer;
    private int _pythonQueries;

    public void Dispose() => _temp.Dispose();

    private CudnnLocator Locator(params string[] systemDirectories) => new(
        name => _environment.GetValueOrDefault(name),
        _ =>
        {
            _pythonQueries++;
            return Task.FromResult(_pythonAnswer);
        },
        systemDirectories);

    [Fact]
    public async Task FindAsync_VariableNamingAFile_WinsOverEverything()
    {
        var configured = Touch("custom", "libcudnn.so.8");
        Touch("cuda", "libcudnn.so.9");
        Touch("system", "libcudnn.so.9");
        _pythonAnswer = Path.GetDirectoryName(Touch("wheel", "libcudnn.so.9"));
        _environment[CudnnLocator.LibraryVariable] = configured;

        Assert.Equal(configured, await Locator(_temp.Combine("system")).FindAsync(_temp.Combine("cuda")));
        Assert.Equal(0, _pythonQueries);
    }

    [Fact]
    public async Task FindAsync_VariableNamingAFolder_TheLibraryInIt()
    {
        var configured = Touch("custom", "libcudnn.so.9");
        Touch("cuda", "libcudnn.so.9");
        _environment[CudnnLocator.LibraryVariable] = _temp.Combine("custom");

        Assert.Equal(configured, await Locator().FindAsync(_temp.Combine("cuda")));
    }

    [Fact]
    public async Task FindAsync_VariableNamingNoLibrary_FallsThroughToTheCudaFolder()
    {
        var cuda = Touch("cuda", "libcudnn.so.9");
        _environment[CudnnLocator.LibraryVariable] = _temp.Combine("missing", "libcudnn.so.9");

        Assert.Equal(cuda, await Locator().FindAsync(_temp.Combine("cuda")));
    }

    [Fact]
    public async Task FindAsync_CudaFolder_BeatsSystemFoldersAndPython()
    {
        var cuda = Touch("cuda", "libcudnn.so.9");
        Touch("system", "libcudnn.so.9");
        _pythonAnswer = Path.GetDirectoryName(Touch("wheel", "libcudnn.so.9"));

        Assert.Equal(cuda, await Locator(_temp.Combine("system")).FindAsync(_temp.Combine("cuda")));
        Assert.Equal(0, _pythonQueries);
    }

    [Fact]
    public async Task FindAsync_SystemFolders_InOrderBeforePython()
    {
        var second = Touch("usr-local-cuda-lib64", "libcudnn.so.9");
        _pythonAnswer = Path.GetDirectoryName(Touch("wheel", "libcudnn.so.9"));

        Assert.Equal(second, await Locator(_temp.Combine("usr-lib"), _temp.Combine("usr-local-cuda-lib64")).FindAsync(cudaLibraryDirectory: null));
        Assert.Equal(0, _pythonQueries);
    }

    [Fact]
    public async Task FindAsync_OnlyTheWheel_AsksPythonLast()
    {
        var wheel = Touch("site-packages", "nvidia", "cudnn", "lib", "libcudnn.so.9");
        Touch("site-packages", "nvidia", "cudnn", "lib", "libcudnn_cnn.so.9");
        _pythonAnswer = Path.GetDirectoryName(wheel);

        Assert.Equal(wheel, await Locator(_temp.Combine("usr-lib")).FindAsync(_temp.Combine("cuda")));
        Assert.Equal(1, _pythonQueries);
    }

    [Fact]
    public async Task FindAsync_NothingAnywhere_Null()
    {
        Touch("cuda", "libcudart.so.12");
        _pythonAnswer = _temp.Combine("no-such-folder");

        Assert.Null(await Locator(_temp.Combine("usr-lib")).FindAsync(_temp.Combine("cuda")));
    }

    [Fact]
    public void FindInDirectory_SeveralVersions_NewestMajorAndItsShortestName()
    {
        Touch("lib", "libcudnn.so");
        Touch("lib", "libcudnn.so.8");
        Touch("lib", "libcudnn.so.9.1.0");
        var soname = Touch("lib", "libcudnn.so.9");
        Touch("lib", "libcudnn_graph.so.10");

        Assert.Equal(soname, CudnnLocator.FindInDirectory(_temp.Combine("lib")));
    }

    [Fact]
    public void FindInDirectory_OnlyUnversionedOrSubLibraries_UnversionedOrNull()
    {
        var unversioned = Touch("a", "libcudnn.so");
        Touch("b", "libcudnn_cnn.so.9");
        Touch("b", "libcudnn.so.9.bak");

        Assert.Equal(unversioned, CudnnLocator.FindInDirectory(_temp.Combine("a")));
        Assert.Null(CudnnLocator.FindInDirectory(_temp.Combine("b")));
    }

    [UnixFact]
    public async Task QueryPythonLibraryDirectoryAsync_PythonPrintsTheFolder_LastLine()
    {
        var python = _temp.WriteScript("python", """
            [ "$1" = "-c" ] || exit 2
            case "$2" in *nvidia.cudnn*) ;; *) exit 3 ;; esac
            echo "a warning on stderr" >&2
            echo "/py/site-packages/nvidia/cudnn/lib"
            """);

        Assert.Equal("/py/site-packages/nvidia/cudnn/lib", await CudnnLocator.QueryPythonLibraryDirectoryAsync(python));
    }

    [UnixFact]
    public async Task QueryPythonLibraryDirectoryAsync_NoWheelOrNoPython_Null()
    {
        var python = _temp.WriteScript("python", """
            echo "ModuleNotFoundError: No module named 'nvidia'" >&2
            exit 1
            """);

        Assert.Null(await CudnnLocator.QueryPythonLibraryDirectoryAsync(python));
        Assert.Null(await CudnnLocator.QueryPythonLibraryDirectoryAsync(_temp.Combine("no-such-python")));
    }

    private string Touch(params string[] parts)
    {
        var path = _temp.Combine(parts);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, string.Empty);
        return path;
    }
}
