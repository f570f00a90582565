namespace Nova.Firmware.Protocols.Onvif.Discovery;

/// <summary>
/// ONVIF scopes (<c>onvif://www.onvif.org/{category}/{value}</c>) by category, percent-decoded:
/// name, hardware, location (often several, e.g. country, city), type, profile. Scopes outside
/// onvif://www.onvif.org/ are kept in <see cref="Other"/>.
/// </summary>
public sealed record OnvifScopes(
    IReadOnlyList<string> Names, IReadOnlyList<string> Hardware, IReadOnlyList<string> Locations,
    IReadOnlyList<string> Types, IReadOnlyList<string> Profiles, IReadOnlyList<string> Other)
{
    private const string Prefix = "onvif://www.onvif.org/";

    public string? Name => Names.Count > 0 ? Names[0] : null;

    public string? HardwareModel => Hardware.Count > 0 ? Hardware[0] : null;

    public static OnvifScopes Parse(IEnumerable<string> scopes)
    {
        List<string> names = [], hardware = [], locations = [], types = [], profiles = [], other = [];
        foreach (var scope in scopes)
        {
            if (!scope.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            {
                other.Add(scope);
                continue;
            }

            var rest = scope[Prefix.Length..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            var category = slash < 0 ? rest : rest[..slash];
            var value = slash < 0 ? "" : Unescape(rest[(slash + 1)..]);
            var list = category.ToLowerInvariant() switch
            {
                "name" => names,
                "hardware" => hardware,
                "location" => locations,
                "type" => types,
                "profile" => profiles,
                _ => other,
            };
            list.Add(ReferenceEquals(list, other) ? scope : value);
        }

        return new OnvifScopes(names, hardware, locations, types, profiles, other);
    }

    private static string Unescape(string text)
    {
        try
        {
            return Uri.UnescapeDataString(text);
        }
        catch (UriFormatException)
        {
            return text;
        }
    }
}
