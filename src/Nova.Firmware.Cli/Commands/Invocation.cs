using System.CommandLine;
using Nova.Firmware.Cli.Api;
using Nova.Firmware.Cli.Output;

namespace Nova.Firmware.Cli.Commands;

/// <summary>What every command's action gets: its parse result, the API, the terminal, the context.</summary>
public sealed class Invocation(ParseResult parse, CliContext context, GlobalOptions options)
{
    private NovaApi? _api;

    public ParseResult Parse { get; } = parse;
    public CliContext Context { get; } = context;
    public Terminal Out { get; } = new(context, parse.GetValue(options.Json));
    public bool Json => Out.Json;

    /// <summary>The API client, made on first use so commands that need no server (build, config) never resolve one.</summary>
    public NovaApi Api => _api ??= new NovaApi(Connection.Resolve(Parse.GetValue(options.Server), Parse.GetValue(options.ApiKey), Context), Context.HttpHandler);

    public T? Get<T>(Option<T> option) => Parse.GetValue(option);

    public T Get<T>(Argument<T> argument) => Parse.GetValue(argument)!;

    public void Dispose() => _api?.Dispose();
}

/// <summary>Options every command takes.</summary>
public sealed class GlobalOptions
{
    public Option<string?> Server { get; } = new("--server") { Description = "Server URL (default: NOVAFW_SERVER, the config file, then http://127.0.0.1:5080)", Recursive = true };
    public Option<string?> ApiKey { get; } = new("--api-key") { Description = "API key (default: NOVAFW_API_KEY, then the config file)", Recursive = true };
    public Option<bool> Json { get; } = new("--json") { Description = "Print the server's JSON instead of tables", Recursive = true };
}
