using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Nova.Firmware.Domain.Diagnosis;

/// <summary>
/// One line as the classifier reads it. <see cref="Display"/> is what the device wrote (colour codes
/// and control characters removed, trimmed); <see cref="Text"/> is what rules match: lower case,
/// without timestamps, syslog headers and log levels, quotes turned into spaces, whitespace collapsed.
/// </summary>
public sealed record LogLine(string Display, string Text);

/// <summary>
/// Turns raw detail strings into <see cref="LogLine"/>s. Real logs arrive JSON-escaped or
/// HTML-escaped, several lines to a string, with carriage returns from progress bars, ANSI colours,
/// timestamps and log levels; all of that is undone here so the rules can stay plain.
/// </summary>
public static partial class LogLines
{
    private const int MaxDisplayLength = 300;

    /// <summary>Every meaningful line in <paramref name="raw"/>, in order; progress bars and blank lines are left out.</summary>
    public static IReadOnlyList<LogLine> Read(IEnumerable<string?> raw)
    {
        var lines = new List<LogLine>();
        foreach (var entry in raw)
        {
            if (string.IsNullOrWhiteSpace(entry))
            {
                continue;
            }
            foreach (var segment in Unescape(entry).Split(['\n', '\r']))
            {
                var display = Clean(segment);
                if (display.Length == 0)
                {
                    continue;
                }
                var text = StripPrefixes(Normalise(display));
                if (text.Length == 0 || IsProgress(text))
                {
                    continue;
                }
                lines.Add(new LogLine(display.Length > MaxDisplayLength ? display[..MaxDisplayLength] + "…" : display, text));
            }
        }
        return lines;
    }

    /// <summary>
    /// Lower case, quote-like characters as spaces, whitespace collapsed, trimmed: SWUpdate already
    /// turns quotes into spaces inside its log dumps, so rules and lines must agree on that.
    /// </summary>
    public static string Normalise(string s)
    {
        var chars = new StringBuilder(s.Length);
        var space = false;
        foreach (var c in s)
        {
            if (char.IsWhiteSpace(c) || c is '"' or '\'' or '`' or '´' or '‘' or '’' or '“' or '”' or '«' or '»')
            {
                space = chars.Length > 0;
                continue;
            }
            if (space)
            {
                chars.Append(' ');
                space = false;
            }
            chars.Append(char.ToLowerInvariant(c));
        }
        return chars.ToString();
    }

    /// <summary>Undoes JSON/C escapes (twice, for re-quoted JSON) and HTML entities (SOAP faults, web UIs).</summary>
    private static string Unescape(string s)
    {
        for (var pass = 0; pass < 2 && s.Contains('\\', StringComparison.Ordinal); pass++)
        {
            s = Escape().Replace(s, m => m.Groups[1].Value[0] switch
            {
                'n' => "\n",
                'r' => "\r",
                't' => "\t",
                'e' => "\u001b",
                'u' or 'x' => ((char)Convert.ToInt32(m.Groups[1].Value[1..], 16)).ToString(),
                _ => m.Groups[1].Value,
            });
        }
        return s.Contains('&', StringComparison.Ordinal) ? WebUtility.HtmlDecode(s) : s;
    }

    /// <summary>Removes ANSI colour and cursor sequences (also when the escape character itself was lost) and control characters.</summary>
    private static string Clean(string s)
    {
        s = Ansi().Replace(s, "");
        s = OrphanAnsi().Replace(s, "");
        var chars = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            chars.Append(char.IsControl(c) || c == '\u00a0' ? ' ' : c);
        }
        return chars.ToString().Trim();
    }

    private static string StripPrefixes(string text)
    {
        for (var i = 0; i < 8; i++)
        {
            var stripped = Prefix().Replace(text, "", 1);
            if (stripped.Length == text.Length)
            {
                break;
            }
            text = stripped.TrimStart();
        }
        return text;
    }

    /// <summary>A line that only draws a progress bar or counts percent ("[=====>   ] 45%", "Downloaded 45% (123 of 456 kB).").</summary>
    private static bool IsProgress(string text)
    {
        if (!text.Contains('%', StringComparison.Ordinal) && !ProgressBar().IsMatch(text))
        {
            return false;
        }
        var rest = ProgressTokens().Replace(text, " ");
        return rest.Count(char.IsLetter) == 0;
    }

    [GeneratedRegex(@"\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[nrte""'/\\])")]
    private static partial Regex Escape();

    [GeneratedRegex(@"\x1B(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1B]*(?:\x07|\x1B\\)|[@-Z\\-_])")]
    private static partial Regex Ansi();

    [GeneratedRegex(@"\[(?:\d{1,3}(?:;\d{1,3})*)?m")]
    private static partial Regex OrphanAnsi();

    // One prefix at a time, anchored: priority <3>, ISO or Go timestamps, kernel [  12.345678],
    // syslog "jan 1 00:00:00 host tag[123]:", clock "12:00:00.123", ESP-IDF "e (1234) tag:",
    // levels "[error]" / "error :", logrus "time=... level=... msg=", SWUpdate's "swupdate failed [0] error file : fn : 12 :".
    [GeneratedRegex(@"^(?:<\d{1,3}>" +
        @"|\[?\d{4}[-/]\d{2}[-/]\d{2}[t ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:z|[+-]\d{2}:?\d{2})?\]?[:,]?" +
        @"|\[\s*\d+\.\d+\]" +
        @"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec) \d{1,2} \d{2}:\d{2}:\d{2}(?: [^\s:\[]+)?(?: [^\s:\[]+(?:\[\d+\])?:)?" +
        @"|\[?\d{2}:\d{2}:\d{2}(?:[.,]\d+)?\]?" +
        @"|[ewidv] \(\d+\) [^\s:]+:" +
        @"|\[(?:error|err|warning|warn|info|debug|trace|notice|crit|critical|fatal|emerg|alert|e|w|i|d)\] ?:?" +
        @"|(?:error|warning|warn|info|debug|trace|notice|critical|fatal) ?:" +
        @"|time= ?\S+ level= ?\w+ msg=" +
        @"|swupdate failed \[\d+\] error [\w./-]+ : \w+ : \d+ :)")]
    private static partial Regex Prefix();

    [GeneratedRegex(@"[=#]{3,}|\[[=#>\-.* |]{3,}\]")]
    private static partial Regex ProgressBar();

    [GeneratedRegex(@"\[[=#>\-.* |]*\]|[=#>\-|/\\]+|\d+(?:[.,]\d+)?\s*(?:%|[kmgt]i?b(?:/s|ps)?\b|b/s|bytes\b|s\b)?|\b(?:downloading|downloaded|download|progress|uploading|uploaded|writing|written|flashing|installing|eta|of|kb|mb|gb|kib|mib|bytes|total|speed|elapsed)\b|[().:,;*]")]
    private static partial Regex ProgressTokens();
}
