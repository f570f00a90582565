using System.CommandLine;
using System.CommandLine.Invocation;
using Nova.Firmware.Cli.Commands;

namespace Nova.Firmware.Cli;

/// <summary>
/// The root command and how it runs: parse errors are usage errors (exit 2), every failure is one
/// line on standard error with its exit code (<see cref="ExitCodes"/>).
/// </summary>
public static class NovaCli
{
    public static RootCommand Build(CliContext context, params Command[] extra)
    {
        var options = new GlobalOptions();
        var root = new RootCommand("novafw: the Nova Firmware management API from the command line (docs/cli.md).");
        root.Options.Add(options.Server);
        root.Options.Add(options.ApiKey);
        root.Options.Add(options.Json);
        var commands = new CommandSet(context, options);
        root.Subcommands.Add(ConfigCommands.Create(commands, context));
        root.Subcommands.Add(PackageCommands.Create(commands));
        root.Subcommands.Add(DeviceCommands.Create(commands));
        root.Subcommands.Add(JobCommands.Create(commands));
        root.Subcommands.Add(DiagnoseCommand.Create(commands));
        root.Subcommands.Add(RolloutCommands.Create(commands));
        root.Subcommands.Add(RecoveryCommands.Create(commands));
        root.Subcommands.Add(TaskCommands.Create(commands));
        root.Subcommands.Add(RmaCommands.Create(commands));
        root.Subcommands.Add(DiscoverCommand.Create(commands));
        foreach (var command in extra)
        {
            root.Subcommands.Add(command);
        }
        return root;
    }

    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default, params Command[] extra)
    {
        var root = Build(context, extra);
        var parse = root.Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            foreach (var error in parse.Errors)
            {
                await context.Error.WriteLineAsync($"novafw: {error.Message}");
            }
            await context.Error.WriteLineAsync("Run 'novafw --help' (or 'novafw COMMAND --help') for usage.");
            return ExitCodes.InvalidInput;
        }
        return await parse.InvokeAsync(new InvocationConfiguration { Output = context.Output, Error = context.Error, EnableDefaultExceptionHandler = false }, cancellationToken);
    }
}

/// <summary>Binds command actions to an <see cref="Invocation"/> and turns failures into exit codes.</summary>
public sealed class CommandSet(CliContext context, GlobalOptions options)
{
    public GlobalOptions Options { get; } = options;

    public void Action(Command command, Func<Invocation, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parse, ct) =>
        {
            var invocation = new Invocation(parse, context, Options);
            try
            {
                return await action(invocation, ct);
            }
            catch (CliException ex)
            {
                await context.Error.WriteLineAsync($"novafw: {ex.Message}");
                return ex.ExitCode;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                await context.Error.WriteLineAsync("novafw: interrupted.");
                return 130;
            }
            finally
            {
                invocation.Dispose();
            }
        });
}
