namespace Nova.Firmware.Simulator.Devices;

/// <summary>
/// What an update agent keeps in the bootloader environment across the reboot (SWUpdate's ustate):
/// which action is in flight and which slot should come up, so it can report the truth afterwards.
/// </summary>
public sealed record PendingUpdate(string ActionId, string FeedbackUrl, string? TargetSlot, string? TargetVersion, bool Installed);
