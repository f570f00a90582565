using Nova.Firmware.Domain.Packages;
using Nova.Firmware.Protocols.Tftp;

namespace Nova.Firmware.Server.Tftp;

/// <summary>An inventory device a TFTP transfer is attributed to, and how it was found.</summary>
public sealed record RescueDevice(Guid Id, string ControllerId, DeviceIdentity Identity, string FoundBy);

/// <summary>
/// What a TFTP request resolves to: the stock package to serve, or the lookup status and message
/// the client gets; either way the device the transfer belongs to, when one is known.
/// </summary>
public sealed record StockImageResolution(TftpFileLookupStatus Status, FirmwarePackage? Package, string Message, RescueDevice? Device)
{
    public static StockImageResolution Serve(FirmwarePackage package, RescueDevice? device) =>
        new(TftpFileLookupStatus.Found, package, "", device);

    public static StockImageResolution NotFound(string message, RescueDevice? device) =>
        new(TftpFileLookupStatus.NotFound, null, message, device);

    public static StockImageResolution Refused(string message, RescueDevice? device) =>
        new(TftpFileLookupStatus.AccessViolation, null, message, device);
}
