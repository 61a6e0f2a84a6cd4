using System.Globalization;

namespace KernelForge.Archive;

/// <summary>
/// The archive file cannot be used: its location is not writable, it is not an archive, or a newer kforge wrote it.
/// The message is one sentence that says what to do instead, written for the CLI to print as it is.
/// </summary>
public sealed class ArchiveUnavailableException : Exception
{
    public ArchiveUnavailableException()
    {
    }

    public ArchiveUnavailableException(string message)
        : base(message)
    {
    }

    public ArchiveUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    private ArchiveUnavailableException(string archivePath, string message, Exception? innerException)
        : base(message, innerException)
    {
        ArchivePath = archivePath;
    }

    /// <summary>The full path the archive was to be opened at, when known.</summary>
    public string? ArchivePath { get; }

    internal static ArchiveUnavailableException NotWritable(string archivePath, Exception? innerException) =>
        new(archivePath, $"The archive at '{archivePath}' can't be written; pass --archive PATH to a writable location.", innerException);

    internal static ArchiveUnavailableException NotAnArchive(string archivePath, Exception innerException) =>
        new(archivePath, $"The file at '{archivePath}' is not a SQLite archive; pass --archive PATH to a new file or an existing KernelForge archive.", innerException);

    internal static ArchiveUnavailableException SchemaTooNew(string archivePath, int version, int latestVersion) =>
        new(
            archivePath,
            string.Create(
                CultureInfo.InvariantCulture,
                $"The archive at '{archivePath}' has schema version {version}, newer than the {latestVersion} this kforge understands; upgrade kforge or pass --archive PATH to another file."),
            innerException: null);
}
