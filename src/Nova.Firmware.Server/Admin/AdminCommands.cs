namespace Nova.Firmware.Server.Admin;

/// <summary>
/// The server's admin commands, run instead of the server when the first argument is <c>admin</c>:
/// <code>
/// Nova.Firmware.Server admin backup --to DIR  [settings]
/// Nova.Firmware.Server admin restore --from DIR [settings]
/// </code>
/// Settings are the server's own (<c>--Nova:DataDirectory=...</c>, or Nova__ environment variables,
/// or appsettings.json), so the command finds the same data the server uses.
/// </summary>
public static class AdminCommands
{
    public const string Usage = """
        Usage:
          Nova.Firmware.Server admin backup --to DIR     online copy of the database and the package blobs (verified) into a new DIR
          Nova.Firmware.Server admin restore --from DIR  put a backup into this server's data directory (fresh: no database yet)
        Server settings apply as usual, e.g. --Nova:DataDirectory=/var/lib/nova-firmware or Nova__DataDirectory=...
        See docs/operations.md.
        """;

    public static bool IsAdminCommand(string[] args) => args is ["admin", ..];

    /// <summary>Runs the command in <paramref name="args"/> (starting with <c>admin</c>); returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken ct)
    {
        if (args is not ["admin", var verb, .. var rest] || verb is not ("backup" or "restore"))
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }
        var flag = verb == "backup" ? "--to" : "--from";
        var settingArgs = new List<string>();
        string? directory = null;
        for (var i = 0; i < rest.Length; i++)
        {
            if (rest[i] == flag && i + 1 < rest.Length)
            {
                directory = rest[++i];
            }
            else if (rest[i].StartsWith(flag + "=", StringComparison.Ordinal))
            {
                directory = rest[i][(flag.Length + 1)..];
            }
            else
            {
                settingArgs.Add(rest[i]);
            }
        }
        if (string.IsNullOrWhiteSpace(directory))
        {
            await error.WriteLineAsync($"admin {verb} needs {flag} DIR.{Environment.NewLine}{Usage}");
            return 2;
        }
        try
        {
            // The server's configuration sources, in the server's order; nothing is started.
            var configuration = WebApplication.CreateBuilder(settingArgs.ToArray()).Configuration;
            var settings = AdminSettings.From(configuration);
            if (verb == "backup")
            {
                await DataBackup.RunAsync(settings, directory, output, ct);
            }
            else
            {
                await DataRestore.RunAsync(settings, directory, output, ct);
            }
            return 0;
        }
        catch (AdminCommandException e)
        {
            await error.WriteLineAsync($"admin {verb} failed: {e.Message}");
            return 1;
        }
    }

    /// <summary>The entry Program.cs calls: console output, Ctrl+C cancels.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        return await RunAsync(args, Console.Out, Console.Error, cancel.Token);
    }
}
