using System.Security.Claims;
using Microsoft.Extensions.Options;
using Nova.Firmware.Engine.Rollouts;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Auth;
using Nova.Firmware.Server.Endpoints.Management.Rollouts;

namespace Nova.Firmware.Server.WebConsole;

/// <summary>
/// The console's rollout calls: the API's handlers in-process, the role checked as the API's
/// policy would, and each change written to the audit log under the API call it stands for.
/// </summary>
public sealed class RolloutActions(ConsoleScope scope, ConsoleAudit audit)
{
    public static readonly IReadOnlyList<string> Verbs = ["start", "pause", "resume", "approve", "cancel", "retry"];

    public Task<ApiOutcome<RolloutResponse>> GetAsync(long id, CancellationToken ct) =>
        scope.RunAsync(async sp => ApiOutcome<RolloutResponse>.From(await RolloutEndpoints.GetAsync(
            id, sp.GetRequiredService<FirmwareDbContext>(), sp.GetRequiredService<RolloutProgressReader>(), ct)));

    public Task<ApiOutcome<Endpoints.Management.Paged<RolloutDeviceResponse>>> DevicesAsync(long id, int page, CancellationToken ct) =>
        scope.RunAsync(async sp => ApiOutcome<Endpoints.Management.Paged<RolloutDeviceResponse>>.From(await RolloutEndpoints.DevicesAsync(
            id, sp.GetRequiredService<FirmwareDbContext>(), null, null, page, 100, ct)));

    public Task<ApiOutcome<System.Text.Json.JsonElement?>> PreviewAsync(PreviewRolloutRequest request, CancellationToken ct) =>
        scope.RunAsync(async sp => ApiJson.From(await RolloutPreview.RunAsync(request, sp.GetRequiredService<FirmwareDbContext>(),
            sp.GetRequiredService<Engine.Jobs.DeviceJobStepper>(), sp.GetRequiredService<IOptions<RolloutOptions>>(), ct)));

    public async Task<ApiOutcome<RolloutResponse>> CreateAsync(ClaimsPrincipal user, CreateRolloutRequest request, CancellationToken ct)
    {
        if (!user.IsInRole(Policies.Operator))
        {
            await audit.RecordAsync(user, "POST /api/v1/rollouts", "", StatusCodes.Status403Forbidden);
            return new(null, StatusCodes.Status403Forbidden, "Creating a rollout needs the operator role.");
        }
        var outcome = await scope.RunAsync(async sp => ApiOutcome<RolloutResponse>.From(await RolloutEndpoints.CreateAsync(
            request, sp.GetRequiredService<RolloutService>(), sp.GetRequiredService<RolloutProgressReader>(), user, ct)));
        await audit.RecordAsync(user, "POST /api/v1/rollouts", outcome.Value is { } r ? $"/api/v1/rollouts/{r.Id}" : "", outcome.Status);
        return outcome;
    }

    public async Task<ApiOutcome<RolloutActionResponse>> ActAsync(ClaimsPrincipal user, long id, string verb, CancellationToken ct)
    {
        var action = $"POST /api/v1/rollouts/{{id}}/{verb}";
        if (!user.IsInRole(Policies.Operator))
        {
            await audit.RecordAsync(user, action, $"id={id}", StatusCodes.Status403Forbidden);
            return new(null, StatusCodes.Status403Forbidden, "This needs the operator role.");
        }
        var by = user.Identity?.Name ?? "unknown";
        var outcome = await scope.RunAsync(async sp =>
        {
            var service = sp.GetRequiredService<RolloutService>();
            Task<RolloutActionResult> run = verb switch
            {
                "start" => service.StartAsync(id, by, ct),
                "pause" => service.PauseAsync(id, by, ct),
                "resume" => service.ResumeAsync(id, by, ct),
                "approve" => service.ApproveAsync(id, by, ct),
                "cancel" => service.CancelAsync(id, by, ct),
                "retry" => service.RetryFailedAsync(id, by, ct),
                _ => throw new ArgumentOutOfRangeException(nameof(verb), verb, "Not a rollout action."),
            };
            return ApiOutcome<RolloutActionResponse>.From(await RolloutEndpoints.ActAsync(run));
        });
        await audit.RecordAsync(user, action, $"id={id}", outcome.Status);
        return outcome;
    }
}
