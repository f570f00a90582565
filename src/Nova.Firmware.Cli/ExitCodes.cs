namespace Nova.Firmware.Cli;

/// <summary>
/// What novafw's exit status means; scripts branch on these, so they never change (docs/cli.md).
/// </summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The command ran but what it did failed: a job or rollout ended badly, the server answered 5xx.</summary>
    public const int Failure = 1;
    /// <summary>Bad command line or input (local file, or the server's 400/413/415/422).</summary>
    public const int InvalidInput = 2;
    /// <summary>No answer from the server: refused, timed out, name not resolved.</summary>
    public const int Unreachable = 3;
    /// <summary>The server refused the credentials (401) or the role is too low (403).</summary>
    public const int AuthRefused = 4;
    /// <summary>The thing named does not exist (404), or its state forbids the change (409).</summary>
    public const int NotFoundOrConflict = 5;
}
