using Microsoft.Extensions.Options;

namespace Nova.Firmware.Server.Auth;

/// <summary>The "Nova:SignIn" section: how password guessing is slowed down.</summary>
public sealed class SignInOptions
{
    public const string Section = "Nova:SignIn";

    /// <summary>Failed sign-ins for one user name within <see cref="Window"/> before each further attempt must wait.</summary>
    public int FreeFailuresPerUser { get; set; } = 5;

    /// <summary>Failed sign-ins from one client address within <see cref="Window"/> before each further attempt must wait.</summary>
    public int FreeFailuresPerAddress { get; set; } = 20;

    /// <summary>How long a failure counts.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The first wait once the free failures are used; it doubles with every further failure.</summary>
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Password checks (PBKDF2, slow on purpose) run at most this many at a time; 0: half the processors.</summary>
    public int HashingConcurrency { get; set; }

    /// <summary>Sign-ins that may wait for a password check; beyond this, 503 at once.</summary>
    public int HashingQueue { get; set; } = 64;

    public int ResolvedHashingConcurrency => HashingConcurrency > 0 ? HashingConcurrency : Math.Max(1, Environment.ProcessorCount / 2);
}

/// <summary>Checks "Nova:SignIn" at start-up, every bad value named at once.</summary>
public sealed class SignInOptionsValidator : IValidateOptions<SignInOptions>
{
    public ValidateOptionsResult Validate(string? name, SignInOptions options)
    {
        var failures = new List<string>();
        if (options.FreeFailuresPerUser is < 1 or > 1000)
        {
            failures.Add($"{SignInOptions.Section}:FreeFailuresPerUser must be 1 to 1000; it is {options.FreeFailuresPerUser}.");
        }
        if (options.FreeFailuresPerAddress is < 1 or > 100_000)
        {
            failures.Add($"{SignInOptions.Section}:FreeFailuresPerAddress must be 1 to 100000; it is {options.FreeFailuresPerAddress}.");
        }
        if (options.Window <= TimeSpan.Zero)
        {
            failures.Add($"{SignInOptions.Section}:Window must be a positive duration; it is {options.Window}.");
        }
        if (options.FirstDelay <= TimeSpan.Zero || options.MaxDelay < options.FirstDelay)
        {
            failures.Add($"{SignInOptions.Section}:FirstDelay must be positive and at most MaxDelay; they are {options.FirstDelay} and {options.MaxDelay}.");
        }
        if (options.HashingConcurrency is < 0 or > 256)
        {
            failures.Add($"{SignInOptions.Section}:HashingConcurrency must be 0 (half the processors) to 256; it is {options.HashingConcurrency}.");
        }
        if (options.HashingQueue is < 0 or > 100_000)
        {
            failures.Add($"{SignInOptions.Section}:HashingQueue must be 0 to 100000; it is {options.HashingQueue}.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
