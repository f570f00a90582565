using Nova.Firmware.Cli;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Cli.Tests.Infrastructure;

/// <summary>What one novafw invocation printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
}

/// <summary>
/// Runs the real root command with the test's own environment: a private config directory, no
/// NOVAFW_* variables from the machine, and (when given) the in-process server's handler.
/// </summary>
public sealed class CliRunner : IDisposable
{
    private readonly Dictionary<string, string?> _environment = new(StringComparer.Ordinal);

    public CliRunner(NovaServer? server = null)
    {
        Server = server;
        Home = Path.Combine(Path.GetTempPath(), "novafw-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Home);
        _environment["HOME"] = Home;
        _environment["XDG_CONFIG_HOME"] = Path.Combine(Home, "config");
    }

    public NovaServer? Server { get; }
    public string Home { get; }
    public string ConfigFile => Path.Combine(Home, "config", "novafw", "config.json");

    /// <summary>Run as if on a terminal: colours and live progress bars (written into the captured output).</summary>
    public bool Interactive { get; set; }

    public CliRunner With(string name, string? value)
    {
        _environment[name] = value;
        return this;
    }

    public async Task<CliResult> RunAsync(params string[] args) => await RunWithInputAsync("", args);

    public async Task<CliResult> RunWithInputAsync(string input, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext
        {
            Output = output,
            Error = error,
            Input = () => new StringReader(input),
            Environment = name => _environment.TryGetValue(name, out var value) ? value : null,
            HttpHandler = Server is null ? null : () => Server.Server.CreateHandler(),
            Interactive = Interactive,
        };
        var code = await NovaCli.RunAsync(args, context);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException)
        {
            // left to the OS's temp clean-up
        }
    }
}
