using Nova.Firmware.Domain.Drivers;
using Nova.Firmware.Protocols.Onvif;

namespace Nova.Firmware.Drivers.Onvif;

/// <summary>The ONVIF client's typed errors as the engine's driver outcomes, with the camera's own words kept.</summary>
internal static class OnvifErrors
{
    public static DriverResult ToResult(OnvifException e) => e switch
    {
        OnvifUnreachableException u => DriverResult.Unreachable($"{u.Operation}: no answer ({u.Reason})."),
        OnvifAuthenticationException a => DriverResult.Unauthorized($"{a.Operation}: the camera refused our credentials (HTTP {a.HttpStatus}{(a.Fault is { } f ? $", {f.Subcode ?? f.Code}: {f.Reason}" : "")})."),
        OnvifFaultException f => DriverResult.Failed($"{f.Operation}: SOAP fault {f.Subcode ?? f.Code}: {f.Reason} (HTTP {f.HttpStatus})."),
        OnvifUploadException up => DriverResult.Failed($"The camera answered the upload with HTTP {up.HttpStatus}: {up.ResponseText}"),
        OnvifNotSupportedException n => DriverResult.NotSupported($"{n.Operation}: {n.Why}"),
        _ => DriverResult.Failed($"{e.Operation}: {e.Message}"),
    };

    public static DriverResult<T> ToResult<T>(OnvifException e) where T : class
    {
        var r = ToResult(e);
        return new DriverResult<T>(r.Outcome, r.Reason);
    }
}
