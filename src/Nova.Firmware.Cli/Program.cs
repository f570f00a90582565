using Nova.Firmware.Cli;
using Nova.Firmware.Cli.Demo;

// Ctrl+C cancels the running command (watches stop, the demo shuts down) instead of killing the
// process. Never disposed: a second Ctrl+C may arrive while the process is already ending.
var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
var context = CliContext.FromProcess();
return await NovaCli.RunAsync(args, context, cancel.Token, DemoCommand.Create(context));
