using System.CommandLine;
using Nova.Firmware.Cli.Api;
using Nova.Firmware.Cli.Config;

namespace Nova.Firmware.Cli.Commands;

/// <summary><c>novafw config set|show</c>: the saved server and API key.</summary>
public static class ConfigCommands
{
    public static Command Create(CommandSet set, CliContext context)
    {
        var config = new Command("config", "Save the server URL and API key in the user's config file (mode 0600).");

        // The global --server and --api-key options, saved instead of used.
        var server = set.Options.Server;
        var apiKey = set.Options.ApiKey;
        var save = new Command("set", "Save --server and/or --api-key; other saved values are kept.");
        set.Action(save, (inv, _) =>
        {
            var newServer = inv.Get(server);
            var newKey = inv.Get(apiKey);
            if (newServer is null && newKey is null)
            {
                throw CliException.Invalid("Give --server and/or --api-key.");
            }
            if (newServer is not null)
            {
                Connection.ParseServer(newServer); // refuse a bad URL before anything is written
            }
            if (newKey is not null && (newKey.Length == 0 || newKey.Any(char.IsWhiteSpace)))
            {
                throw CliException.Invalid("The API key is empty or contains spaces.");
            }
            var path = CliConfig.PathFor(context.Environment);
            var current = CliConfig.Load(path);
            current.Server = newServer ?? current.Server;
            current.ApiKey = newKey ?? current.ApiKey;
            current.Save(path);
            inv.Out.Line($"Saved to {path}");
            return Task.FromResult(ExitCodes.Ok);
        });

        var show = new Command("show", "Show the server and key (masked) commands will use, and where each comes from.");
        set.Action(show, (inv, _) =>
        {
            var path = CliConfig.PathFor(context.Environment);
            var connection = Connection.Resolve(inv.Get(set.Options.Server), inv.Get(set.Options.ApiKey), context);
            var key = connection.ApiKey is { Length: > 12 } k ? k[..12] + "…" : connection.ApiKey is null ? "(none)" : "(set)";
            inv.Out.Fields(("config file", path), ("server", connection.Server.ToString()), ("api key", key));
            return Task.FromResult(ExitCodes.Ok);
        });

        config.Subcommands.Add(save);
        config.Subcommands.Add(show);
        return config;
    }
}
