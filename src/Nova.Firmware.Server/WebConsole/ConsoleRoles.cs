using System.Security.Claims;
using Nova.Firmware.Server.Auth;

namespace Nova.Firmware.Server.WebConsole;

/// <summary>Roles as the console shows and checks them; the same claims the API's policies read.</summary>
public static class ConsoleRoles
{
    public static string Highest(ClaimsPrincipal user) =>
        user.IsInRole(Policies.Admin) ? Policies.Admin : user.IsInRole(Policies.Operator) ? Policies.Operator : Policies.Viewer;

    public static bool CanOperate(ClaimsPrincipal user) => user.IsInRole(Policies.Operator);

    public static bool IsAdmin(ClaimsPrincipal user) => user.IsInRole(Policies.Admin);
}
