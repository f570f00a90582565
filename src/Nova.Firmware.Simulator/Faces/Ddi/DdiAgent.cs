using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Nova.Firmware.Protocols.Ddi;
using Nova.Firmware.Simulator.Devices;
using Nova.Firmware.Simulator.Faces.Ddi.Swu;

namespace Nova.Firmware.Simulator.Faces.Ddi;

/// <summary>
/// A gateway's update agent, behaving like SWUpdate's hawkBit (suricatta) mode: polls with the
/// server's sleep, follows deploymentBase, downloads with Range resume, checks size and hash, reports
/// progress ("All Chunks Installed." once written) and failures in SWUpdate's words, and reports the final result only after the reboot,
/// from the slot that really came up.
/// </summary>
public sealed partial class DdiAgent(HttpClient http, DdiAgentOptions options, ISwuBundleReader swuReader)
{
    private readonly ArtifactDownloader _downloader = new(http, options);

    /// <summary>Runs while the device is up; power loss cancels <paramref name="power"/>.</summary>
    public async Task RunAsync(SimulatedDevice device, CancellationToken power)
    {
        if (options.ServerUrl is null)
        {
            return;
        }
        var controller = new Uri(options.ServerUrl, $"{options.Tenant}/controller/v1/{Uri.EscapeDataString(device.Id)}");
        // Spread the fleet's first polls so 10,000 agents do not knock at the same instant. Not after
        // an update's reboot: suricatta reports the result as soon as it starts, as SWUpdate does.
        if (device.PendingUpdate is null)
        {
            await device.Clock.Delay(TimeSpan.FromSeconds(Random.Shared.NextDouble() * device.Spec.PollJitterSeconds), power);
        }
        var configSent = false;
        while (true)
        {
            var sleep = TimeSpan.FromSeconds(options.UnreachableSleepSeconds);
            if (!device.Faults.Unreachable)
            {
                try
                {
                    await ReportAfterRebootAsync(device, power);
                    var poll = await SendAsync<DdiControllerBase>(device, HttpMethod.Get, controller, null, power);
                    if (poll is not null)
                    {
                        sleep = ParseSleep(poll.Config.Polling.Sleep) ?? sleep;
                        if (!configSent || poll.Links.ConfigData is not null)
                        {
                            configSent = await PutConfigDataAsync(device, new Uri(controller + "/configData"), power);
                        }
                        if (poll.Links.CancelAction is { } cancel)
                        {
                            await AcknowledgeCancelAsync(device, new Uri(cancel.Href), power);
                        }
                        else if (poll.Links.DeploymentBase is { } deployment)
                        {
                            await DeployAsync(device, new Uri(deployment.Href), power);
                        }
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or System.Text.Json.JsonException or TaskCanceledException && !power.IsCancellationRequested)
                {
                    device.Log($"suricatta: server not reachable: {ex.Message}");
                }
            }
            await device.Clock.Delay(sleep, power);
        }
    }

    internal static TimeSpan? ParseSleep(string? sleep) =>
        TimeSpan.TryParseExact(sleep, @"hh\:mm\:ss", CultureInfo.InvariantCulture, out var value) ? value : null;

    private async Task DeployAsync(SimulatedDevice device, Uri deploymentUrl, CancellationToken power)
    {
        var deployment = await SendAsync<DdiDeploymentBase>(device, HttpMethod.Get, deploymentUrl, null, power);
        if (deployment is null || device.PendingUpdate?.ActionId == deployment.Id || device.FinishedActions.Contains(deployment.Id))
        {
            return;
        }
        var feedback = FeedbackUrl(deploymentUrl);
        var artifact = deployment.Deployment.Chunks.SelectMany(chunk => chunk.Artifacts)
            .OrderByDescending(a => a.Filename.EndsWith(".swu", StringComparison.OrdinalIgnoreCase))
            .FirstOrDefault();
        if (artifact is null)
        {
            await FinishAsync(device, deployment.Id, feedback, DdiValues.Finished.Failure, ["No suitable .swu image found"], power);
            return;
        }
        if (!device.TryStage(artifact.Size))
        {
            device.Log($"no space for {artifact.Filename}: {artifact.Size} bytes, {device.Storage.FreeBytes} free");
            await FinishAsync(device, deployment.Id, feedback, DdiValues.Finished.Failure,
                [$"Error writing {artifact.Filename}: No space left on device", "Installation failed"], power);
            return;
        }
        await ReportAsync(device, deployment.Id, feedback, DdiValues.Execution.Proceeding, DdiValues.Finished.None, new DdiProgress(0, 1),
            [$"Downloading {artifact.Filename} ({artifact.Size} bytes)"], power);
        var token = device.Spec.EffectiveDdiToken;
        var download = await _downloader.DownloadAsync(device, new Uri(artifact.Links.Download.Href), token, artifact.Size, _ => Task.CompletedTask, power);
        if (download.Bytes is null)
        {
            device.Unstage();
            await FinishAsync(device, deployment.Id, feedback, DdiValues.Finished.Failure, [download.Error!, "Installation failed"], power);
            return;
        }
        var problem = Check(device, artifact, download.Bytes, out var image);
        if (problem is not null)
        {
            device.Unstage();
            device.Log($"update refused: {problem}");
            await FinishAsync(device, deployment.Id, feedback, DdiValues.Finished.Failure, [problem, "Installation failed"], power);
            return;
        }
        await ReportAsync(device, deployment.Id, feedback, DdiValues.Execution.Proceeding, DdiValues.Finished.None, new DdiProgress(1, 2),
            ["Installing Update Chunk Artifacts.", $"Installing {image!.Version ?? artifact.Filename}"], power);
        device.PendingUpdate = new PendingUpdate(deployment.Id, feedback.ToString(), null, image.Version, Installed: false);
        var slot = await device.InstallAsync(image, power);
        device.PendingUpdate = device.PendingUpdate with { TargetSlot = slot.Name, Installed = true };
        await ReportAsync(device, deployment.Id, feedback, DdiValues.Execution.Proceeding, DdiValues.Finished.None, new DdiProgress(2, 2),
            // SWUpdate's words once the image is written: the server reads them as "written, rebooting".
            ["Installed Chunk.", "All Chunks Installed.", $"Installed into slot {slot.Name}, rebooting"], power);
        device.Reboot(ResetReason.Update);
    }

    /// <summary>The device's checks in SWUpdate's words; null when it goes on to write.</summary>
    private string? Check(SimulatedDevice device, DdiArtifact artifact, byte[] bytes, out ImageFacts? image)
    {
        image = null;
        if (device.Verifies)
        {
            var computed = Convert.ToHexStringLower(SHA256.HashData(bytes));
            if (!string.Equals(computed, artifact.Hashes.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                return $"HASH mismatch : {artifact.Hashes.Sha256} <--> {computed}";
            }
        }
        ReadOnlyMemory<byte> payload = bytes;
        if (artifact.Filename.EndsWith(".swu", StringComparison.OrdinalIgnoreCase))
        {
            var bundle = swuReader.Read(bytes);
            if (bundle is null || bundle.Images.Count == 0)
            {
                return "Image invalid or corrupted. Not installing ...";
            }
            if (!device.AcceptsWrongHardware && !bundle.HardwareCompatibility.Contains(device.Spec.HwRevision, StringComparer.OrdinalIgnoreCase))
            {
                return $"SW not compatible with hardware";
            }
            var first = bundle.Images[0];
            if (!bundle.Files.TryGetValue(first.Filename, out payload))
            {
                return $"Image {first.Filename} cannot be opened: No such file or directory";
            }
            if (device.Verifies)
            {
                if (first.Sha256 is null)
                {
                    return $"Hash not set for {first.Filename}";
                }
                var computed = Convert.ToHexStringLower(SHA256.HashData(payload.Span));
                if (!string.Equals(computed, first.Sha256, StringComparison.OrdinalIgnoreCase))
                {
                    return $"HASH mismatch : {first.Sha256} <--> {computed}";
                }
            }
        }
        image = SimulatedImage.Inspect(payload.Span);
        return device.Refuses(image);
    }

    private async Task AcknowledgeCancelAsync(SimulatedDevice device, Uri cancelUrl, CancellationToken power)
    {
        var cancel = await SendAsync<DdiCancel>(device, HttpMethod.Get, cancelUrl, null, power);
        if (cancel is null)
        {
            return;
        }
        var body = new DdiActionFeedback(cancel.Id, LocalTime(device), new DdiStatus(DdiValues.Execution.Closed, new DdiResult(DdiValues.Finished.Success)));
        await PostFeedbackAsync(device, FeedbackUrl(cancelUrl), body, power);
    }

    private static Uri FeedbackUrl(Uri actionUrl) => new(actionUrl.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/feedback");

    private static string LocalTime(SimulatedDevice device) =>
        device.Clock.GetLocalNow().ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture);

    private async Task<T?> SendAsync<T>(SimulatedDevice device, HttpMethod method, Uri url, object? body, CancellationToken power)
    {
        using var response = await SendRequestAsync(device, method, url, body, power);
        if (!Accepted(device, response) || typeof(T) == typeof(object) || response.Content.Headers.ContentLength == 0)
        {
            return default;
        }
        return await response.Content.ReadFromJsonAsync<T>(power);
    }

    /// <summary>Posts feedback; true only when the server took it (a refused post is not delivered).</summary>
    private async Task<bool> PostFeedbackAsync(SimulatedDevice device, Uri url, object body, CancellationToken power)
    {
        using var response = await SendRequestAsync(device, HttpMethod.Post, url, body, power);
        return Accepted(device, response);
    }

    private async Task<HttpResponseMessage> SendRequestAsync(SimulatedDevice device, HttpMethod method, Uri url, object? body, CancellationToken power)
    {
        await device.Clock.Delay(TimeSpan.FromMilliseconds(device.Spec.LatencyMilliseconds), power);
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("TargetToken", device.Spec.EffectiveDdiToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType());
        }
        return await http.SendAsync(request, power);
    }

    /// <summary>SWUpdate accepts only 200, 206 and 226; anything else (204 included) is an error.</summary>
    private static bool Accepted(SimulatedDevice device, HttpResponseMessage response)
    {
        if ((int)response.StatusCode is 200 or 206 or 226)
        {
            return true;
        }
        device.Log($"suricatta: {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath} answered {(int)response.StatusCode}");
        return false;
    }
}
