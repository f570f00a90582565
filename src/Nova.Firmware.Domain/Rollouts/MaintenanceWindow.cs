using Cronos;

namespace Nova.Firmware.Domain.Rollouts;

/// <summary>
/// When new flashes may start: a cron schedule (five fields, minute first, as crontab) that opens
/// the window, how long it stays open, and the time zone the schedule is read in (IANA name, so
/// "02:00 every night" follows daylight saving). Flashes already running when it closes run on:
/// stopping a flash half-way is what bricks devices.
/// </summary>
public sealed class MaintenanceWindow
{
    public required string Schedule { get; set; }
    public TimeSpan Duration { get; set; }
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Whether the window is open at <paramref name="now"/>, and when it next closes or opens.</summary>
    public WindowState At(DateTimeOffset now)
    {
        var cron = CronExpression.Parse(Schedule, CronFormat.Standard);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
        // An opening in (now - duration, now] means the window is open now.
        var opening = cron.GetNextOccurrence(now - Duration, zone, inclusive: false);
        if (opening is { } start && start <= now)
        {
            return new WindowState(true, start + Duration, null);
        }
        return new WindowState(false, null, opening);
    }

    /// <summary>Field errors for a window as an operator wrote it; empty when it can be used.</summary>
    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(Schedule) || Schedule.Length > 100)
        {
            yield return "The schedule must be a five-field cron expression, e.g. \"0 2 * * *\" for 02:00 every day.";
            yield break;
        }
        string? error = null;
        try
        {
            CronExpression.Parse(Schedule, CronFormat.Standard);
        }
        catch (CronFormatException e)
        {
            error = $"The schedule \"{Schedule}\" is not a five-field cron expression: {e.Message}";
        }
        if (error is not null)
        {
            yield return error;
        }
        if (Duration < TimeSpan.FromMinutes(1) || Duration > TimeSpan.FromDays(7))
        {
            yield return "The duration must be between 1 minute and 7 days.";
        }
        if (!TryZone(TimeZone))
        {
            yield return $"The time zone \"{TimeZone}\" is not known; use an IANA name such as \"Europe/Berlin\" or \"UTC\".";
        }
    }

    private static bool TryZone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > 100)
        {
            return false;
        }
        try
        {
            TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return false;
        }
    }
}

/// <summary>A window's state at one instant: open until <see cref="ClosesAt"/>, or closed until <see cref="OpensAt"/> (null: never again).</summary>
public readonly record struct WindowState(bool IsOpen, DateTimeOffset? ClosesAt, DateTimeOffset? OpensAt);
