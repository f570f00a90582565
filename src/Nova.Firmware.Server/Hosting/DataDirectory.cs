namespace Nova.Firmware.Server.Hosting;

/// <summary>The resolved data directory: the embedded database and the blob store live under it.</summary>
public sealed record DataDirectory(string Path);
