namespace Nova.Firmware.Cli;

/// <summary>A failure with the one-line message the user sees and the exit code scripts see.</summary>
public sealed class CliException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    public static CliException Invalid(string message) => new(ExitCodes.InvalidInput, message);
}
