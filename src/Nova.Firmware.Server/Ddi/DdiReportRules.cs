using System.Globalization;
using Nova.Firmware.Domain.Common;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Drivers.Ddi;
using Nova.Firmware.Protocols.Ddi;
using A = Nova.Firmware.Protocols.Ddi.DdiValues.Attributes;

namespace Nova.Firmware.Server.Ddi;

/// <summary>
/// What a device reports is checked like what an operator enters: the same lengths (the column
/// sizes), no control characters in names and versions, numbers in range, free ≤ total, known
/// enumerations. A report that breaks a rule is refused whole (400, the field named by its wire
/// path) and nothing of it is stored.
/// </summary>
public static partial class DdiReportRules
{
    public const int MaxAttributes = 200;
    public const int MaxAttributeNameLength = 100;
    public const int MaxAttributeValueLength = 1000;
    public const int MaxDetails = 1000;
    public const int MaxDetailLength = 8000;

    /// <summary>The known attributes that land in a column, with the column's size.</summary>
    private static readonly Dictionary<string, int> Columns = new(StringComparer.Ordinal)
    {
        [A.Vendor] = 100, [A.Model] = 100, [A.HwRevision] = 50, [A.Soc] = 50, [A.SerialNo] = 100,
        [A.FirmwareVersion] = 100, [A.InactiveFirmwareVersion] = 100, [A.BootMode] = 30, [A.Led] = 50, [A.ResetReason] = 30,
        [A.PowerFeed] = 110,
    };

    private static readonly string[] Modes = ["merge", "replace", "remove"];

    private static readonly string[] Executions =
    [
        DdiValues.Execution.Closed, DdiValues.Execution.Proceeding, DdiValues.Execution.Canceled, DdiValues.Execution.Scheduled,
        DdiValues.Execution.Rejected, DdiValues.Execution.Resumed, DdiValues.Execution.Downloaded, DdiValues.Execution.Download,
    ];

    private static readonly string[] Finishes = ["success", "failure", "none"];

    /// <summary>Checks a configData body before anything is merged; <paramref name="device"/> supplies the stored sizes a partial report is compared with.</summary>
    public static Dictionary<string, string[]> CheckConfigData(IReadOnlyDictionary<string, string> data, string? mode, Device device)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (mode is not null && !Modes.Contains(mode, StringComparer.OrdinalIgnoreCase))
        {
            errors["mode"] = [$"One of: {string.Join(", ", Modes)}."];
        }
        if (data.Count > MaxAttributes)
        {
            errors["data"] = [$"At most {MaxAttributes} attributes."];
            return errors;
        }
        foreach (var (key, value) in data)
        {
            if (key.Length == 0 || TextRules.LineProblem(key, MaxAttributeNameLength) is not null)
            {
                errors["data"] = [$"Attribute names have 1 to {MaxAttributeNameLength} characters and no control characters."];
                continue;
            }
            var max = Columns.TryGetValue(key, out var column) ? column : MaxAttributeValueLength;
            if (value is null)
            {
                errors[$"data.{key}"] = ["Must be a string."];
            }
            else if (TextRules.LineProblem(value.Trim(), max) is { } problem)
            {
                errors[$"data.{key}"] = [problem];
            }
        }
        var free = Bytes(A.FreeBytes);
        var total = Bytes(A.TotalBytes);
        if ((free ?? device.Storage.FreeBytes) is { } f && (total ?? device.Storage.TotalBytes) is { } t && f > t && (free is not null || total is not null))
        {
            errors[$"data.{A.FreeBytes}"] = [$"Free bytes ({f}) cannot exceed total bytes ({t})."];
        }
        if (Present(A.PowerFeed) is { } feed && !feed.Equals("dc", StringComparison.OrdinalIgnoreCase))
        {
            var colon = feed.LastIndexOf(':');
            var switchId = colon > 0 ? feed[..colon] : feed;
            if (switchId.Length > 100)
            {
                errors[$"data.{A.PowerFeed}"] = ["The switch id has at most 100 characters."];
            }
            else if (colon > 0 && !(int.TryParse(feed[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= DeviceRules.MaxPort))
            {
                errors[$"data.{A.PowerFeed}"] = [$"\"switch-id:port\" with a port from 1 to {DeviceRules.MaxPort}, or \"dc\"."];
            }
        }
        return errors;

        string? Present(string key) => data.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

        long? Bytes(string key)
        {
            if (Present(key) is not { } text)
            {
                return null;
            }
            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                return n;
            }
            errors[$"data.{key}"] = ["A whole number of bytes, 0 or more."];
            return null;
        }
    }

    /// <summary>Rules the merged device breaks that it did not break before: the report made them.</summary>
    public static Dictionary<string, string[]> NewDeviceRuleBreaks(IReadOnlyList<FieldError> before, IReadOnlyList<FieldError> after)
    {
        var known = before.Select(e => e.Field).ToHashSet(StringComparer.Ordinal);
        return after.Where(e => !known.Contains(e.Field)).GroupBy(e => e.Field)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray(), StringComparer.Ordinal);
    }

    /// <summary>Checks a feedback post once parsed (leniently: SWUpdate's broken JSON is still read).</summary>
    public static Dictionary<string, string[]> CheckFeedback(string body, DdiFeedbackObservation feedback)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (body.Contains('\0', StringComparison.Ordinal) || body.Contains("\\u0000", StringComparison.OrdinalIgnoreCase) || !TextRules.IsStorable(body)
            || LoneSurrogateEscape().IsMatch(body))
        {
            errors["body"] = ["Must not contain NUL characters or broken Unicode."];
        }
        if (!Executions.Contains(feedback.Execution, StringComparer.Ordinal))
        {
            errors["status.execution"] = [$"One of: {string.Join(", ", Executions)}."];
        }
        if (!Finishes.Contains(feedback.Finished, StringComparer.Ordinal))
        {
            errors["status.result.finished"] = [$"One of: {string.Join(", ", Finishes)}."];
        }
        if (feedback.ProgressCnt is < 0 || feedback.ProgressOf is < 0 || (feedback.ProgressCnt > feedback.ProgressOf && feedback.ProgressOf is > 0))
        {
            errors["status.result.progress"] = ["cnt and of are 0 or more, and cnt is at most of."];
        }
        if (feedback.Details.Count > MaxDetails)
        {
            errors["status.details"] = [$"At most {MaxDetails} lines."];
        }
        else
        {
            for (var i = 0; i < feedback.Details.Count; i++)
            {
                if (TextRules.TextProblem(feedback.Details[i], MaxDetailLength) is { } problem)
                {
                    errors[$"status.details[{i}]"] = [problem];
                    break;
                }
            }
        }
        return errors;
    }

    /// <summary>A JSON escape of half a surrogate pair: text no database can store once decoded.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}")]
    private static partial System.Text.RegularExpressions.Regex LoneSurrogateEscape();
}
