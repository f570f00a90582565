namespace Nova.Firmware.Cli;

/// <summary>
/// Everything novafw takes from its surroundings, so tests can run the real root command against an
/// in-process server: where output goes, the environment, standard input, and how HTTP is sent.
/// </summary>
public sealed class CliContext
{
    public required TextWriter Output { get; init; }
    public required TextWriter Error { get; init; }
    public Func<TextReader> Input { get; init; } = () => Console.In;
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;
    /// <summary>The handler requests go through; null for a plain socket handler. Tests pass the test server's.</summary>
    public Func<HttpMessageHandler>? HttpHandler { get; init; }
    /// <summary>True when output is a terminal a person watches (colours, live progress bars).</summary>
    public bool Interactive { get; init; }

    public static CliContext FromProcess() => new()
    {
        Output = Console.Out,
        Error = Console.Error,
        Interactive = !Console.IsOutputRedirected,
    };
}
