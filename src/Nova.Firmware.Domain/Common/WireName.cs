namespace Nova.Firmware.Domain.Common;

/// <summary>
/// The stable string an enum value is stored and sent as ("sd-recovery", "insufficient-space").
/// Stored strings are fixed forever: renaming a C# member must not change what is in the database.
/// </summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class WireNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
