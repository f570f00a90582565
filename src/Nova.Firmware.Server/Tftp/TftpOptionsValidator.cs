using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Nova.Firmware.Protocols.Tftp;

namespace Nova.Firmware.Server.Tftp;

/// <summary>
/// Checks "Nova:Tftp" at start and lists every bad setting by its configuration name, so one
/// failed start tells the operator everything to fix. Checked even when disabled: a typo should
/// not wait for the day someone turns the server on.
/// </summary>
public sealed class TftpOptionsValidator : IValidateOptions<TftpOptions>
{
    public ValidateOptionsResult Validate(string? name, TftpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Port is < 0 or > 65535)
        {
            failures.Add($"{TftpOptions.Section}:Port is {options.Port}; it must be a UDP port 1–65535 (or 0 for any free port).");
        }
        if (!IPAddress.TryParse(options.BindAddress, out var address) || address.AddressFamily != AddressFamily.InterNetwork)
        {
            failures.Add($"{TftpOptions.Section}:BindAddress '{options.BindAddress}' is not an IPv4 address (TFTP recovery is IPv4 only); use 0.0.0.0 for all interfaces.");
        }
        if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromSeconds(255))
        {
            failures.Add($"{TftpOptions.Section}:Timeout {options.Timeout} must be above zero and at most 255 s.");
        }
        if (options.MaxRetries is < 0 or > 1000)
        {
            failures.Add($"{TftpOptions.Section}:MaxRetries {options.MaxRetries} must be 0–1000.");
        }
        if (options.MaxBlockSize is < TftpPacketCodec.MinBlockSize or > TftpPacketCodec.MaxBlockSize)
        {
            failures.Add($"{TftpOptions.Section}:MaxBlockSize {options.MaxBlockSize} must be {TftpPacketCodec.MinBlockSize}–{TftpPacketCodec.MaxBlockSize} (RFC 2348).");
        }
        if (options.MaxWindowSize is < 1 or > 65535)
        {
            failures.Add($"{TftpOptions.Section}:MaxWindowSize {options.MaxWindowSize} must be 1–65535 (RFC 7440).");
        }
        if (options.MaxConcurrentTransfers is < 1 or > 10_000)
        {
            failures.Add($"{TftpOptions.Section}:MaxConcurrentTransfers {options.MaxConcurrentTransfers} must be 1–10000 (each transfer has its own thread).");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
