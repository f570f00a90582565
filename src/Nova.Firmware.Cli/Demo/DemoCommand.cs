using System.CommandLine;

namespace Nova.Firmware.Cli.Demo;

public static class DemoCommand
{
    public static Command Create(CliContext context) => new("demo", "stub");
}
