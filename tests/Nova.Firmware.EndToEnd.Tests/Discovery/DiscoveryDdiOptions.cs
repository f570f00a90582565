namespace Nova.Firmware.EndToEnd.Tests.Discovery;

public sealed record DiscoveryDdiOptions
{
    public required byte[] Artifact { get; init; }

    /// <summary>Fault: bytes actually served (e.g. a truncated upload) while size and hashes announce <see cref="Artifact"/>.</summary>
    public byte[]? ServedArtifact { get; init; }

    /// <summary>Fault: leave <c>hashes.sha1</c> out of the artifact (SWUpdate requires it).</summary>
    public bool OmitSha1 { get; init; }

    public string ArtifactName { get; init; } = "update.swu";

    public string Version { get; init; } = "1.2.3";

    public string Tenant { get; init; } = "DEFAULT";

    public string ControllerId { get; init; } = "dev-001";

    public string ActionId { get; init; } = "42";

    public TimeSpan Sleep { get; init; } = TimeSpan.FromSeconds(1);

    public DiscoveryOffer Offer { get; init; } = DiscoveryOffer.Deployment;

    /// <summary>Offer the configData link until SWUpdate has sent it (it installs nothing in a cycle where it sends configData).</summary>
    public bool RequestConfigData { get; init; }

    /// <summary>Fault: send only this many bytes of each download response (Content-Length announces all), then drop the connection.</summary>
    public int? CutEachResponseAfterBytes { get; init; }

    /// <summary>Fault: cut only the first download response after this many bytes; later (resumed) ones are complete.</summary>
    public int? CutFirstResponseAfterBytes { get; init; }
}
