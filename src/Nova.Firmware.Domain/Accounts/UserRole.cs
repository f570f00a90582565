using Nova.Firmware.Domain.Common;

namespace Nova.Firmware.Domain.Accounts;

/// <summary>Roles are ordered: each one can do everything the one before it can.</summary>
public enum UserRole
{
    [WireName("viewer")] Viewer = 0,
    [WireName("operator")] Operator = 1,
    [WireName("admin")] Admin = 2,
}
