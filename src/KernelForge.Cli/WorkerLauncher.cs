using KernelForge.Evaluation.Pipeline;
using KernelForge.Evaluation.Protocol;
using KernelForge.Evaluation.Runner;
using KernelForge.Evaluation.Worker;

namespace KernelForge.Cli;

/// <summary>Starts the reference worker for commands that need torch but not a GPU (translate, lint): on the GPU if there is one, else on the CPU.</summary>
internal static class WorkerLauncher
{
    /// <exception cref="EnvironmentException">No python3, no torch, or the worker died at start; the message says how to fix it.</exception>
    public static async Task<WorkerClient> StartAsync(string needsTorchFor, CancellationToken cancellationToken)
    {
        var resources = KforgeHost.LocateResources();
        var options = new WorkerOptions(KforgeHost.FindPython(), resources.WorkerSourceDirectory, Device: 0)
        {
            TorchDevice = CudaRuntime.IsAvailable(out _) ? null : "cpu",
        };
        var worker = WorkerClient.Start(options);
        try
        {
            var hello = await worker.HelloAsync(cancellationToken);
            if (hello.TorchVersion is null)
            {
                throw new EnvironmentException($"{options.PythonPath} cannot import torch, which {needsTorchFor} needs: install PyTorch 2.x or set {KforgeHost.PythonVariable}.");
            }

            return worker;
        }
        catch (ProcessCrashedException ex)
        {
            await worker.DisposeAsync();
            throw new EnvironmentException($"The reference worker exited at start: {ex.StderrTail.Split('\n').LastOrDefault(line => line.Length > 0) ?? ex.Message}", ex);
        }
        catch
        {
            await worker.DisposeAsync();
            throw;
        }
    }
}
