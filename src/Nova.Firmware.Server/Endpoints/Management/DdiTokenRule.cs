namespace Nova.Firmware.Server.Endpoints.Management;

/// <summary>What a DDI target token chosen by an operator may be (the token endpoint and the device import's ddiToken column).</summary>
public static class DdiTokenRule
{
    public const string Rule = "A token has 16 to 200 characters and no spaces.";

    public static bool IsValid(string token) =>
        token.Length is >= 16 and <= 200 && !token.Any(char.IsWhiteSpace) && !token.Any(char.IsControl);
}
