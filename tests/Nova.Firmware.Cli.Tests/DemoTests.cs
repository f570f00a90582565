using System.Text.RegularExpressions;
using Nova.Firmware.Cli.Demo;

namespace Nova.Firmware.Cli.Tests;

/// <summary>
/// <c>novafw demo --start</c> with every default but the port: the server starts, the fleet registers,
/// the packages are built and imported, and the rollout runs to its end.
/// </summary>
public sealed partial class DemoTests
{
    [Fact(Timeout = 240_000)]
    public async Task Demo_WithDefaults_FleetRegisters_AndRolloutCompletes()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext { Output = output, Error = error, Environment = _ => null };

        // Port 0: a free port on 127.0.0.1, so the test never collides with a server on 5080.
        var code = await NovaCli.RunAsync(["demo", "--port", "0", "--start"], context, CancellationToken.None, DemoCommand.Create(context));

        var text = output.ToString();
        Assert.True(code == 0, $"exit {code}\n{text}\n{error}");
        Assert.Contains("Enrolled 58 devices", text, StringComparison.Ordinal);
        Assert.Contains("Every gateway has polled the server.", text, StringComparison.Ordinal);
        Assert.Contains("Built and imported 5 packages", text, StringComparison.Ordinal);
        var end = EndLine().Match(text);
        Assert.True(end.Success, text);
        Assert.Equal("completed", end.Groups["status"].Value);
        Assert.Equal(0, int.Parse(end.Groups["failed"].Value, System.Globalization.CultureInfo.InvariantCulture));
        // gw-full is full on purpose: the space check blocks it; every other device gets its package.
        Assert.Equal(1, int.Parse(end.Groups["blocked"].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(57, int.Parse(end.Groups["succeeded"].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("blocked by check: space 1", text, StringComparison.Ordinal);
        // The gateway whose download arrived damaged failed once; the recovery ladder's retry repaired it.
        Assert.Matches(@"Recovery run \d+ \(gw-yard-00007\): checksum-mismatch, now recovered\.", text);
    }

    [Fact]
    public async Task Demo_BadPort_ExitsTwo()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext { Output = output, Error = error, Environment = _ => null };

        var code = await NovaCli.RunAsync(["demo", "--port", "70000"], context, CancellationToken.None, DemoCommand.Create(context));

        Assert.Equal(2, code);
        Assert.Contains("--port", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_PortInUse_SaysSo_InOneLine()
    {
        using var busy = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        busy.Start();
        var port = ((System.Net.IPEndPoint)busy.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext { Output = output, Error = error, Environment = _ => null };

        var code = await NovaCli.RunAsync(["demo", "--port", port], context, CancellationToken.None, DemoCommand.Create(context));

        Assert.Equal(1, code);
        Assert.Equal($"novafw: Port {port} on 127.0.0.1 is in use (a server already running?). Stop it, or pick another with --port.", error.ToString().Trim());
    }

    [GeneratedRegex(@"Demo rollout \d+ (?<status>[a-z-]+): (?<succeeded>\d+) succeeded, (?<failed>\d+) failed, (?<blocked>\d+) blocked, \d+ skipped of 58\.")]
    private static partial Regex EndLine();
}
