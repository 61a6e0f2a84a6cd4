namespace KernelForge.Archive.Schema;

/// <summary>One embedded migration: the SQL that takes the archive from <c>Version - 1</c> to <see cref="Version"/>.</summary>
/// <remarks><see cref="Version"/> is the number prefix of the file name (<c>001_initial.sql</c> is version 1).</remarks>
internal sealed record SchemaScript(int Version, string Name, string Sql);
