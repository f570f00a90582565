using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Nova.Firmware.Server.Tests.Hosting;

/// <summary>
/// Operators filter and alert on log event ids (docs/operations.md#logs), so one id must name one
/// event across every assembly the server runs: a TFTP rescue start must never share an id with an
/// ONVIF digest challenge.
/// </summary>
public sealed class LogEventIdTests
{
    private static readonly string[] Assemblies =
        ["Nova.Firmware.Domain", "Nova.Firmware.Protocols", "Nova.Firmware.Drivers", "Nova.Firmware.Persistence", "Nova.Firmware.Engine", "Nova.Firmware.Server"];

    [Fact]
    public void EveryLogEvent_HasAnIdOfItsOwn()
    {
        var events = Assemblies
            .Select(Assembly.Load)
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(x => x.Attribute is not null)
            .Select(x => (x.Attribute!.EventId, Name: $"{x.Method.DeclaringType!.FullName}.{x.Method.Name}"))
            .ToList();

        // The engine, the server and the protocols all log: if reflection found none, the check is broken.
        Assert.True(events.Count > 50, $"Found only {events.Count} logger messages.");
        var shared = events.GroupBy(e => e.EventId).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(e => e.Name))}").ToList();
        Assert.True(shared.Count == 0, "Event ids used twice:\n" + string.Join("\n", shared));
    }
}
