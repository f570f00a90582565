using System.Globalization;

namespace Nova.Firmware.Server.WebConsole;

/// <summary>How the console writes times, sizes and shares: the same everywhere, in UTC, invariant.</summary>
public static class Format
{
    public static string When(DateTimeOffset? at) =>
        at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "never";

    public static string Bytes(long? bytes) => bytes switch
    {
        null => "unknown",
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.#} KiB",
        < 1024L * 1024 * 1024 => $"{bytes / (1024.0 * 1024):0.#} MiB",
        _ => $"{bytes / (1024.0 * 1024 * 1024):0.##} GiB",
    };

    public static string Percent(double share) => share.ToString("0%", CultureInfo.InvariantCulture);

    public static int Width(int part, int whole) => whole <= 0 ? 0 : (int)Math.Round(100.0 * part / whole);
}

/// <summary>The article section for a failure cause's wire name, as the API's job answers link it.</summary>
public static class CauseArticle
{
    public static string For(string cause) =>
        Domain.Common.WireNames.TryParse<Domain.Diagnosis.FailureCause>(cause, out var parsed) ? Articles.ArticleLinks.ForCause(parsed) : "/articles";
}
