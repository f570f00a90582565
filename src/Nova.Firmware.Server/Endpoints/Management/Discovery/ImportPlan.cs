using Nova.Firmware.Domain.Common;
using Nova.Firmware.Domain.Devices;

namespace Nova.Firmware.Server.Endpoints.Management.Discovery;

/// <summary>One camera of a checked import request: its place in the request, its address, its site.</summary>
public sealed record ImportCandidate(int Index, OnvifImportItem Item, Uri XAddr, string? Site, IReadOnlyList<string>? Tags);

/// <summary>Checks an import request's shape before any camera is called or anything is read from the store.</summary>
internal static class ImportPlan
{
    public const int MaxDevices = 1000;
    /// <summary>As DeviceRules allows for a device's address.</summary>
    private const int MaxAddressLength = 500;

    public static List<ImportCandidate>? From(OnvifImportRequest? request, out List<FieldError> errors)
    {
        errors = [];
        var items = request?.Devices ?? [];
        if (items.Count == 0)
        {
            errors.Add(new FieldError("devices", "Required: at least one camera, as a probe listed it ({\"xAddr\": ...})."));
            return null;
        }
        if (items.Count > MaxDevices)
        {
            errors.Add(new FieldError("devices", $"At most {MaxDevices} cameras per import."));
            return null;
        }
        var defaultSite = Trim(request!.Site);
        if (defaultSite is not null)
        {
            errors.AddRange(CredentialRules.CheckSite(defaultSite));
        }

        var candidates = new List<ImportCandidate>();
        for (var i = 0; i < items.Count; i++)
        {
            var path = $"devices[{i}]";
            if (items[i] is not { } item)
            {
                errors.Add(new FieldError(path, "Required."));
                continue;
            }
            var site = Trim(item.Site);
            if (site is not null)
            {
                errors.AddRange(CredentialRules.CheckSite(site).Select(e => e with { Field = $"{path}.site" }));
            }
            if (ParseXAddr(item.XAddr, out var problem) is { } xaddr)
            {
                candidates.Add(new ImportCandidate(i, item, xaddr, site ?? defaultSite, item.Tags ?? request.Tags));
            }
            else
            {
                errors.Add(new FieldError($"{path}.xAddr", problem!));
            }
        }
        return errors.Count == 0 ? candidates : null;
    }

    private static Uri? ParseXAddr(string? text, out string? problem)
    {
        problem = null;
        var value = Trim(text);
        if (value is null)
        {
            problem = "Required: the camera's device service URL, as a probe listed it in xAddrs.";
            return null;
        }
        if (value.Length > MaxAddressLength)
        {
            problem = $"Must be at most {MaxAddressLength} characters.";
            return null;
        }
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || !IpLiteral.IsCallableUrl(uri))
        {
            problem = "Must be an http(s) URL whose host is an IP address (http://192.0.2.7/onvif/device_service); names are not resolved.";
            return null;
        }
        return uri;
    }

    private static string? Trim(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
