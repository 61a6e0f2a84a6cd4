using System.Reflection;

namespace KernelForge.Cli;

/// <summary>The version stamped on every archived evaluation.</summary>
internal static class KforgeVersion
{
    public static string Current { get; } =
        typeof(KforgeVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
