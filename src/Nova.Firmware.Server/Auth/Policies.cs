using Nova.Firmware.Domain.Accounts;
using Nova.Firmware.Domain.Common;

namespace Nova.Firmware.Server.Auth;

/// <summary>
/// Authorization policies, one per role. Roles are cumulative: an admin principal carries the
/// viewer, operator and admin role claims, so "operator" admits operators and admins.
/// </summary>
public static class Policies
{
    public const string Viewer = "viewer";
    public const string Operator = "operator";
    public const string Admin = "admin";

    public static IEnumerable<string> RolesIncludedIn(UserRole role) =>
        Enum.GetValues<UserRole>().Where(r => r <= role).Select(r => r.ToWire());
}
