using Nova.Firmware.Domain.Packages;

namespace Nova.Firmware.Server.Packages;

/// <summary>How an import ended: a stored package, field errors, or a problem with a status code.</summary>
internal abstract record ImportOutcome
{
    public sealed record Imported(FirmwarePackage Package) : ImportOutcome;

    public sealed record Invalid(IDictionary<string, string[]> Errors) : ImportOutcome;

    public sealed record Failed(int StatusCode, string Title, string Detail, IDictionary<string, object?>? Extensions = null) : ImportOutcome;

    /// <summary>The client went away; there is nobody to answer.</summary>
    public sealed record Aborted : ImportOutcome;
}
