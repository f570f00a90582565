using Microsoft.Extensions.Primitives;

namespace Nova.Firmware.Server.Ddi;

/// <summary>
/// Reads a DDI <c>Authorization</c> header, <c>TargetToken &lt;token&gt;</c> or
/// <c>GatewayToken &lt;token&gt;</c> (scheme case-insensitive, as hawkBit reads it), without the
/// general header parser: every poll reads one, and the token is the only string it needs.
/// </summary>
public static class DdiAuthorization
{
    public enum Scheme
    {
        TargetToken,
        GatewayToken,
    }

    private const string Blanks = " \t";

    public static bool TryParse(StringValues header, out Scheme scheme, out string token)
    {
        scheme = default;
        token = "";
        if (header.Count != 1 || header[0] is not { } value)
        {
            return false; // none, or several Authorization headers: which one would count is unclear
        }
        var text = value.AsSpan().Trim(Blanks);
        var space = text.IndexOfAny(Blanks);
        if (space <= 0)
        {
            return false;
        }
        var name = text[..space];
        var parameter = text[(space + 1)..].TrimStart(Blanks);
        if (parameter.IsEmpty || parameter.ContainsAny(Blanks))
        {
            return false;
        }
        if (name.Equals(nameof(Scheme.TargetToken), StringComparison.OrdinalIgnoreCase))
        {
            scheme = Scheme.TargetToken;
        }
        else if (name.Equals(nameof(Scheme.GatewayToken), StringComparison.OrdinalIgnoreCase))
        {
            scheme = Scheme.GatewayToken;
        }
        else
        {
            return false;
        }
        token = parameter.ToString();
        return true;
    }
}
