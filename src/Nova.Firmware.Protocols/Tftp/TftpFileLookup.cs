namespace Nova.Firmware.Protocols.Tftp;

public enum TftpFileLookupStatus
{
    Found,
    NotFound,
    AccessViolation,
}

/// <summary>
/// Answer of an <see cref="ITftpFileProvider"/>: an open stream (the transfer disposes it) with its
/// length when known, or why there is none.
/// </summary>
public sealed record TftpFileLookup(TftpFileLookupStatus Status, Stream? Content, long? Length, string Message)
{
    public static TftpFileLookup Found(Stream content, long? length) => new(TftpFileLookupStatus.Found, content, length, "");

    public static TftpFileLookup NotFound(string message) => new(TftpFileLookupStatus.NotFound, null, null, message);

    public static TftpFileLookup AccessViolation(string message) => new(TftpFileLookupStatus.AccessViolation, null, null, message);
}
