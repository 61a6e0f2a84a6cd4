using System.CommandLine;
using KernelForge.Cli.Commands;
using Spectre.Console;

namespace KernelForge.Cli;

/// <summary>The <c>kforge</c> command tree; tests build it with a TestConsole.</summary>
internal static class KforgeRootCommand
{
    public static RootCommand Create(IAnsiConsole console) =>
        new("KernelForge: turn PyTorch problems into verified, fast CUDA kernels, and prove the numbers.")
        {
            new VerifyCommand(console),
            new TranslateCommand(console),
            new FunctionalizeCommand(console),
            new OptimizeCommand(console),
            new LintCommand(console),
            new RunnerCommand(),
        };
}
