using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Nova.Firmware.Simulator.Devices;
using Nova.Firmware.Simulator.Faults;
using Xunit.Abstractions;
using SimKind = Nova.Firmware.Simulator.Devices.DeviceKind;

namespace Nova.Firmware.EndToEnd.Tests.Nova;

/// <summary>
/// The fault matrix of the recovery ladder: every fault of the simulator's catalogue on a DDI gateway
/// and on an ONVIF camera, one device per row, all rows at once against one server and one simulated
/// fleet. Each row ends where it is expected to (recovered on the intended version, blocked with the
/// right check, a technician task with the right steps, or RMA) with the diagnosed cause equal to the
/// injected one; the observed matrix is written to docs/fault-matrix.md.
/// </summary>
public sealed class FaultMatrixTests(ITestOutputHelper output)
{
    private static readonly TimeSpan RowTimeout = TimeSpan.FromMinutes(3);

    /// <summary>When the fault is injected: before the job, while the slot is being written, or once the device rebooted into the new image.</summary>
    public enum When
    {
        BeforeJob,
        WhileWriting,
        AfterWrite,
    }

    /// <summary>
    /// One row. <paramref name="ExpectedEnd"/> is what the article and the ladder's plan say;
    /// <paramref name="Observed"/> is set only where the product (or the simulator) does something else
    /// today, and <paramref name="Note"/> says why — the test then holds the product to what it really
    /// does, so that a change either way shows.
    /// </summary>
    public sealed record Row(
        string Fault, bool Ddi, string Layout, Action<DeviceSpec> Shape, FaultRequest[] Faults, When When, string Package,
        string ExpectedCause, string ExpectedEnd, (string Cause, string End)? Observed = null, string? Note = null)
    {
        public string Protocol => Ddi ? "DDI" : "ONVIF";
        public string Id { get; set; } = "";
    }

    public sealed record Result(Row Row, string Cause, string Confidence, string End, List<string> Path, TimeSpan Took, string Detail);


    private static void AB(DeviceSpec s) => s.Layout = FlashLayout.AB;

    private static void SingleWithRecovery(DeviceSpec s) => s.Layout = FlashLayout.SingleWithRecovery;

    private static void Bricks(DeviceSpec s)
    {
        s.Layout = FlashLayout.SingleWithRecovery;
        s.HasRecoveryPartition = false;
        s.RetryFromStagedImage = false;
        s.HasSdSlot = true;
    }

    private static void Full(DeviceSpec s)
    {
        // Larger than pre-flight's space margin (8 MiB plus the image), so that a clean-up can make room.
        s.StorageCapacityBytes = 16 * 1024 * 1024;
        s.StorageItems = [new StorageItemSpec { Name = "syslog.1", Kind = StorageItemKind.Log, SizeBytes = 16 * 1024 * 1024 }];
    }

    private static IEnumerable<Row> Rows()
    {
        const string recovered = "recovered on " + FaultMatrixScenario.IntendedVersion;
        foreach (var ddi in new[] { true, false })
        {
            var dropNote = ddi ? null : "The simulator drops connections on DDI downloads only; a cut-off ONVIF upload is resent by the engine (at most three attempts), so with fewer drops than that the job succeeds.";
            yield return new("power-loss", ddi, "A/B", AB, [new(FaultKind.PowerLoss, Percent: 40)], When.BeforeJob, "update", "power-loss", recovered);
            yield return new("power-loss", ddi, "single slot + recovery partition", SingleWithRecovery, [new(FaultKind.PowerLoss, Percent: 40)], When.BeforeJob, "update",
                "power-loss", recovered);
            yield return new("power-loss (bricked)", ddi, "single slot, no recovery partition, SD slot", Bricks, [new(FaultKind.PowerLoss, Percent: 40)], When.BeforeJob, "update",
                "power-loss", ddi ? "technician (SD steps) → rma" : "technician (power/link + SD steps) → SD reflash, done → " + recovered,
                Note: "A bricked device never speaks again. A gateway had said it was installing when it fell silent: the power cut is inferred from that, below 0.7 confidence; its technician fails here, so the run ends with the RMA bundle. A camera says nothing between accepting the upload and its reboot, so while it is silent nothing tells a power cut from a network loss and it is diagnosed unreachable (0.6), with a power/link check first in its task. Its technician reflashes it from SD here: once it answers, its log (\"power lost (power-loss)\" mid-write) refines the diagnosis to power-loss, and the intended version is re-attempted.");
            yield return new("brownout", ddi, "A/B on its own PoE switch", AB, [new(FaultKind.Brownout)], When.WhileWriting, "update", "power-loss", recovered);
            yield return new("connection-drop ×3", ddi, "A/B", AB, [new(FaultKind.ConnectionDrop, Percent: 50, Count: ddi ? 3 : 2)], When.BeforeJob, "update",
                ddi ? "checksum-mismatch" : "-", ddi ? recovered : "job succeeded", Note: dropNote);
            yield return new("truncated-transfer", ddi, "A/B", AB, [new(FaultKind.TruncatedTransfer, Percent: 50)], When.BeforeJob, "update",
                "checksum-mismatch", recovered);
            yield return new("corrupt-bytes", ddi, "A/B", AB, [new(FaultKind.CorruptBytes, Count: 16)], When.BeforeJob, "update",
                "checksum-mismatch", recovered);
            yield return new("boot-failure", ddi, "A/B", AB, [new(FaultKind.BootFailure)], When.BeforeJob, "update", "boot-failure", recovered);
            yield return new("no-verify + corrupt-bytes", ddi, "A/B", AB, [new(FaultKind.NoVerify), new(FaultKind.CorruptBytes, Count: 16)], When.BeforeJob, "update",
                "checksum-mismatch", recovered,
                Note: "A device that does not verify writes the corrupt image; it does not boot (U-Boot's \"Bad Data CRC\") and falls back. The cause comes from that line: a DDI agent reports the previous boot's console with its failure, a camera's log is read by the recovery run.");
            yield return new("wrong hardware (mislabelled package, device checks)", ddi, "A/B", AB, [], When.BeforeJob, "mislabelled",
                "wrong-hardware", "awaiting-approval → approved → " + recovered);
            yield return new("accept-wrong-hardware (mislabelled package)", ddi, "A/B", AB, [new(FaultKind.AcceptWrongHardware)], When.BeforeJob, "mislabelled",
                "wrong-hardware", "awaiting-approval → approved → " + recovered,
                Note: "The only way a wrong-hardware image reaches a device through Nova is a mislabelled package (its catalog entry fits, its bytes are for another SoC). A device that accepts it writes it, cannot boot it (U-Boot's \"Unsupported Architecture\") and falls back; the cause comes from that line.");
            yield return new("accept-wrong-hardware (package for another revision)", ddi, "A/B", AB, [new(FaultKind.AcceptWrongHardware)], When.BeforeJob, "other-revision",
                "-", "refused at pre-flight (blocked: compatibility)",
                Note: "Pre-flight refuses a package whose catalog entry is for another revision, so the device never receives it.");
            yield return new("unreachable", ddi, "A/B", AB, [new(FaultKind.Unreachable)], When.AfterWrite, "update", "unreachable", "technician (power/link + SD steps)");
            yield return new("no space", ddi, "A/B, staging area full of logs", s => { AB(s); Full(s); }, [], When.BeforeJob, "update",
                "insufficient-space", ddi ? "refused at pre-flight (blocked: space)" : "job succeeded after its own clean-up",
                Note: "Pre-flight reads the free space the device reported (DDI configData, the camera's vendor status) before sending a byte, so the cause is found before the flash, not after it: a DDI device, which offers no clean-up, is refused with the shortfall (blocked: space); a camera is cleaned up by the job itself, which then succeeds. The ladder's own clean-up rung (a device that ran out of space anyway) is covered by the engine and API tests.");
        }
    }

    [Fact(Timeout = 900_000)]
    public async Task EveryFault_OnDdiAndOnvif_EndsAsExpected_WithTheInjectedCause()
    {
        var rows = Rows().ToList();
        for (var i = 0; i < rows.Count; i++)
        {
            rows[i].Id = $"{(rows[i].Ddi ? "gw" : "cam")}-{i + 1:00}";
        }
        var clock = Stopwatch.StartNew();
        await using var scenario = await FaultMatrixScenario.StartAsync(tftp => Fleet(rows, tftp));
        await scenario.ImportCatalogAsync();
        var ids = new Dictionary<string, Guid>();
        foreach (var row in rows)
        {
            ids[row.Id] = await scenario.EnrolAsync(scenario.Simulation[row.Id].Spec, row.Ddi);
        }
        foreach (var row in rows)
        {
            await scenario.Simulation.WaitForAsync(row.Id, t => t.Mode == DeviceMode.Normal, TimeSpan.FromSeconds(60));
        }
        using (var admin = scenario.Admin())
        {
            await FleetSteps.WaitAsync(() => FleetSteps.AllReportedAsync(admin, rows.Where(r => r.Ddi).Select(r => ids[r.Id])), TimeSpan.FromSeconds(60), "every gateway's first poll");
        }
        output.WriteLine($"Set-up took {clock.Elapsed.TotalSeconds:0.0} s");

        var results = await Task.WhenAll(rows.Select(row => RunRowAsync(scenario, row, ids[row.Id])));
        output.WriteLine($"Matrix took {clock.Elapsed.TotalSeconds:0.0} s");

        var table = Table(results, clock.Elapsed);
        File.WriteAllText(Path.Combine(RepositoryRoot(), "docs", "fault-matrix.md"), table);
        output.WriteLine(table);

        var wrong = results.Where(r => !Holds(r)).ToList();
        Assert.True(wrong.Count == 0, "Rows that did not end as expected:\n" + string.Join("\n", wrong.Select(r =>
            $"{r.Row.Id} {r.Row.Fault} / {r.Row.Protocol} / {r.Row.Layout}: expected {(r.Row.Observed ?? (r.Row.ExpectedCause, r.Row.ExpectedEnd))}, got ({r.Cause}, {r.End}) via {string.Join(" → ", r.Path)}; {r.Detail}")));
    }

    private static (List<DeviceSpec>, List<PoeSwitchSpec>) Fleet(List<Row> rows, string tftp)
    {
        var devices = new List<DeviceSpec>();
        var switches = new List<PoeSwitchSpec>();
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var spec = row.Ddi
                ? new DeviceSpec
                {
                    Id = row.Id, Kind = SimKind.Gateway, Vendor = FaultMatrixScenario.GatewayVendor, Model = FaultMatrixScenario.GatewayModel,
                    Soc = FaultMatrixScenario.GatewaySoc, DdiToken = $"token-{row.Id}-0123456789",
                }
                : new DeviceSpec
                {
                    Id = row.Id, Kind = SimKind.Camera, Vendor = FaultMatrixScenario.CameraVendor, Model = FaultMatrixScenario.CameraModel,
                    Soc = FaultMatrixScenario.CameraSoc,
                    // All cameras answer on the simulator's one loopback listener, so Nova cannot tell them apart by
                    // address: they ask for their stock image by file name, as a vendor's recovery may be set up to.
                    RecoveryFileName = $"{FaultMatrixScenario.CameraModel}-{FaultMatrixScenario.StockVersion}-stock.img",
                };
            spec.HwRevision = FaultMatrixScenario.Revision;
            spec.Serial = $"SN-{row.Id}";
            spec.FirmwareVersion = FaultMatrixScenario.FactoryVersion;
            spec.IpAddress = $"10.{(row.Ddi ? 40 : 41)}.0.{i + 1}";
            spec.TftpServer = tftp;
            spec.BootSeconds = 5;
            spec.FlashWriteSeconds = row.When == When.WhileWriting ? 40 : 10;
            spec.PowerRestoreSeconds = 5;
            spec.RecoveryRetrySeconds = 10;
            spec.PollJitterSeconds = 1;
            spec.LatencyMilliseconds = 0;
            row.Shape(spec);
            if (row.Faults.Any(f => f.Kind == FaultKind.Brownout))
            {
                switches.Add(new PoeSwitchSpec { Id = $"sw-{row.Id}", RestoreStaggerSeconds = 1 });
                spec.PoeSwitch = $"sw-{row.Id}";
                spec.PoePort = 1;
            }
            devices.Add(spec);
        }
        return (devices, switches);
    }

    private async Task<Result> RunRowAsync(FaultMatrixScenario scenario, Row row, Guid deviceId)
    {
        var clock = Stopwatch.StartNew();
        var sim = scenario.Simulation;
        var model = row.Ddi ? FaultMatrixScenario.GatewayModel : FaultMatrixScenario.CameraModel;
        using var admin = scenario.Admin();
        try
        {
            if (row.When == When.BeforeJob)
            {
                foreach (var fault in row.Faults)
                {
                    sim.InjectFault(row.Id, fault);
                }
            }
            var response = await admin.PostAsJsonAsync($"/api/v1/devices/{deviceId}/jobs", new { packageId = scenario.Packages[$"{model}/{row.Package}"] });
            var created = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode)
            {
                return new(row, "-", "-", $"job refused: HTTP {(int)response.StatusCode}", [], clock.Elapsed, created);
            }
            var jobId = JsonDocument.Parse(created).RootElement.GetProperty("id").GetInt64();
            if (row.When == When.WhileWriting)
            {
                await sim.WaitForAsync(row.Id, t => t.Activity == DeviceActivity.Writing, TimeSpan.FromSeconds(90));
                foreach (var fault in row.Faults)
                {
                    sim.InjectFault(row.Id, fault);
                }
            }
            if (row.When == When.AfterWrite)
            {
                // The new image is written and the device reboots into it; from then on it is gone from the network.
                await sim.WaitForAsync(row.Id, t => t.FlashCount > 0 && t.Activity != DeviceActivity.Writing, TimeSpan.FromSeconds(90));
                foreach (var fault in row.Faults)
                {
                    sim.InjectFault(row.Id, fault);
                }
            }
            var job = await WaitAsync(() => admin.GetFromJsonAsync<JsonElement>($"/api/v1/jobs/{jobId}"),
                j => j.GetProperty("status").GetString() is "succeeded" or "failed" or "blocked" or "cancelled", RowTimeout);
            var status = job.GetProperty("status").GetString()!;
            if (status == "succeeded")
            {
                var cleaned = job.GetProperty("timeline").EnumerateArray().Any(e => e.GetProperty("message").GetString()!.Contains("→ cleaning-up", StringComparison.Ordinal));
                // Pre-flight's clean-up is its diagnosis of too little space, acted on before the flash.
                return new(row, cleaned ? "insufficient-space" : "-", cleaned ? "pre-flight" : "-", cleaned ? "job succeeded after its own clean-up" : "job succeeded", [], clock.Elapsed, $"running {sim.Truth(row.Id).RunningVersion}");
            }
            if (status == "blocked")
            {
                // A pre-flight refusal is a diagnosis made before the flash: the blocking check names the cause it prevents.
                var check = job.GetProperty("blockingCheck").GetString();
                var prevented = check switch { "space" => "insufficient-space", "checksum" => "checksum-mismatch", _ => "-" };
                return new(row, prevented, prevented == "-" ? "-" : "pre-flight", $"refused at pre-flight (blocked: {check})", [], clock.Elapsed, job.GetProperty("statusReason").GetString() ?? "");
            }
            return await FollowRunAsync(scenario, admin, row, deviceId, clock);
        }
        catch (Exception ex)
        {
            var path = await scenario.RungPathAsync(deviceId);
            return new(row, "?", "-", $"error: {ex.GetType().Name}", path, clock.Elapsed, ex.Message);
        }
    }

    private async Task<Result> FollowRunAsync(FaultMatrixScenario scenario, HttpClient admin, Row row, Guid deviceId, Stopwatch clock)
    {
        var steps = new List<string>();
        var detail = new StringBuilder();
        var handled = new HashSet<string>();
        while (true)
        {
            var run = await WaitAsync(async () =>
            {
                var page = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/recoveries?deviceId={deviceId}");
                return page.GetProperty("items").EnumerateArray().Select(r => (JsonElement?)r).LastOrDefault();
            }, r => r is { } x && x.GetProperty("rung").GetString() is "recovered" or "blocked" or "rma" or "closed" or "awaiting-technician" or "awaiting-approval"
                && !handled.Contains(x.GetProperty("rung").GetString()!), RowTimeout);
            var r = run!.Value;
            var rung = r.GetProperty("rung").GetString()!;
            var cause = r.GetProperty("cause").GetString()!;
            var confidence = r.GetProperty("confidence").GetDouble().ToString("0.00", CultureInfo.InvariantCulture);
            var runId = r.GetProperty("id").GetInt64();
            detail.Append(r.GetProperty("statusReason").GetString()).Append(' ');
            switch (rung)
            {
                case "awaiting-approval":
                    steps.Add("awaiting-approval");
                    var approved = await admin.PostAsync($"/api/v1/recoveries/{runId}/approve", null);
                    Assert.True(approved.IsSuccessStatusCode, $"{row.Id}: approve failed: {(int)approved.StatusCode} {await approved.Content.ReadAsStringAsync()}");
                    steps.Add("approved");
                    handled.Add(rung);
                    continue;
                case "awaiting-technician":
                    var taskId = r.GetProperty("technicianTaskId").GetInt64();
                    var task = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/technician-tasks/{taskId}");
                    var text = string.Join("\n", task.GetProperty("steps").EnumerateArray().Select(s => s.GetString()));
                    var missing = MissingFromSteps(scenario, row, task, text);
                    if (missing.Count > 0)
                    {
                        return new(row, cause, confidence, $"technician task missing: {string.Join(", ", missing)}", await scenario.RungPathAsync(deviceId), clock.Elapsed, text);
                    }
                    var what = string.Join(" + ", new[] { text.Contains("network link", StringComparison.Ordinal) ? "power/link" : null, text.Contains("SD card", StringComparison.Ordinal) ? "SD" : null }
                        .OfType<string>().DefaultIfEmpty("other")) + " steps";
                    if (row.ExpectedEnd.Contains("SD reflash", StringComparison.Ordinal))
                    {
                        // The technician does what the task says: the SD image on a card, the recovery button, wait for the LED.
                        steps.Add($"technician ({what}) → SD reflash, done");
                        var device = scenario.Simulation[row.Id];
                        device.InsertSdCard(scenario.StockImages[row.Ddi ? FaultMatrixScenario.GatewayModel : FaultMatrixScenario.CameraModel]);
                        device.HoldRecoveryButtonAndPowerOn();
                        await scenario.Simulation.WaitForAsync(row.Id, t => t.Mode == DeviceMode.Normal, TimeSpan.FromSeconds(120));
                        device.RemoveSdCard();
                        var done = await admin.PostAsJsonAsync($"/api/v1/technician-tasks/{taskId}/complete", new { note = "SD reflash, LED solid" });
                        Assert.True(done.IsSuccessStatusCode, $"{row.Id}: completing the task failed: {(int)done.StatusCode} {await done.Content.ReadAsStringAsync()}");
                        handled.Add(rung);
                        continue;
                    }
                    if (!row.ExpectedEnd.Contains("rma", StringComparison.Ordinal) && !(row.Observed?.End.Contains("rma", StringComparison.Ordinal) ?? false))
                    {
                        return new(row, cause, confidence, $"technician ({what})", await scenario.RungPathAsync(deviceId), clock.Elapsed, text);
                    }
                    steps.Add($"technician ({what})");
                    var failed = await admin.PostAsJsonAsync($"/api/v1/technician-tasks/{taskId}/fail", new { note = "SD reflash did not bring it back" });
                    Assert.True(failed.IsSuccessStatusCode, $"{row.Id}: failing the task failed: {(int)failed.StatusCode} {await failed.Content.ReadAsStringAsync()}");
                    handled.Add(rung);
                    continue;
                case "rma":
                    steps.Add("rma");
                    var bundle = await admin.GetAsync($"/api/v1/devices/{deviceId}/rma-bundle");
                    Assert.True(bundle.IsSuccessStatusCode, $"{row.Id}: the RMA bundle answered HTTP {(int)bundle.StatusCode}.");
                    var zip = await bundle.Content.ReadAsByteArrayAsync();
                    using (var archive = new System.IO.Compression.ZipArchive(new MemoryStream(zip)))
                    {
                        string[] parts = ["identity.json", "firmware-history.csv", "pre-flash-log.txt", "system-log.txt", "timeline.json", "diagnosis.json", "manifest.json"];
                        var absent = parts.Where(p => archive.GetEntry(p) is null).ToList();
                        Assert.True(absent.Count == 0, $"{row.Id}: the RMA bundle lacks {string.Join(", ", absent)}.");
                        detail.Append($"[RMA bundle: zip of {zip.Length} bytes, {archive.Entries.Count} files]");
                    }
                    break;
                case "recovered":
                    steps.Add($"recovered on {r.GetProperty("recoveredVersion").GetString()}");
                    var truth = scenario.Simulation.Truth(row.Id);
                    detail.Append($"[simulator: {truth.Mode}, running {truth.RunningVersion}, flashed {truth.FlashCount}×]");
                    break;
                case "blocked":
                    steps.Add($"blocked: {r.GetProperty("blockingCheck").GetString() ?? "none"}"
                        + (r.GetProperty("shortfallBytes").ValueKind == JsonValueKind.Number ? $" (short {r.GetProperty("shortfallBytes").GetInt64()} B)" : ""));
                    break;
                default:
                    steps.Add(rung);
                    break;
            }
            return new(row, cause, confidence, string.Join(" → ", steps), await scenario.RungPathAsync(deviceId), clock.Elapsed, detail.ToString().Trim());
        }
    }

    /// <summary>What a technician task must say: the sticker check, the SD image's SHA-256 and link where the device has an SD slot, the LED, the photos.</summary>
    private static List<string> MissingFromSteps(FaultMatrixScenario scenario, Row row, JsonElement task, string steps)
    {
        var missing = new List<string>();
        var model = row.Ddi ? FaultMatrixScenario.GatewayModel : FaultMatrixScenario.CameraModel;
        var spec = scenario.Simulation[row.Id].Spec;
        if (!steps.Contains($"revision {spec.HwRevision}", StringComparison.Ordinal))
        {
            missing.Add("the revision sticker check");
        }
        if (spec.HasSdSlot)
        {
            var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(scenario.StockImages[model]));
            if (!steps.Contains(sha, StringComparison.OrdinalIgnoreCase) || task.GetProperty("sdImageSha256").GetString() != sha)
            {
                missing.Add("the SD image's SHA-256");
            }
            var url = $"/api/v1/packages/{scenario.Packages[$"{model}/sd-recovery"]}/content";
            if (!steps.Contains(url, StringComparison.Ordinal) || task.GetProperty("sdImageUrl").GetString() != url)
            {
                missing.Add("the SD image's link");
            }
        }
        if (task.GetProperty("waitForLed").GetString() is not { Length: > 0 } led || !steps.Contains($"LED to show {led}", StringComparison.Ordinal))
        {
            missing.Add("the LED to wait for");
        }
        if (!steps.Contains("Photograph", StringComparison.Ordinal) || task.GetProperty("photosWanted").GetArrayLength() == 0)
        {
            missing.Add("the photos");
        }
        if (row.Fault == "unreachable" && !steps.Contains("network link", StringComparison.Ordinal))
        {
            missing.Add("the power and link check");
        }
        return missing;
    }

    private static async Task<T> WaitAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan within)
    {
        var until = DateTime.UtcNow + within;
        T last = await read();
        while (!done(last))
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"Still not done after {within.TotalSeconds:0} s; last seen: {last}");
            }
            await Task.Delay(500);
            last = await read();
        }
        return last;
    }

    private static string Table(IEnumerable<Result> results, TimeSpan total)
    {
        var md = new StringBuilder();
        md.AppendLine("# Fault matrix");
        md.AppendLine();
        md.AppendLine("Written by `FaultMatrixTests` (tests/Nova.Firmware.EndToEnd.Tests/Nova/FaultMatrixTests.cs) from an actual run: one Nova server");
        md.AppendLine("and one simulated fleet (time scale " + FaultMatrixScenario.TimeScale.ToString(CultureInfo.InvariantCulture)
            + "), one device per row, all rows at once. Short ladder waits (self-recovery 15 s, recovery boot 15 s, re-flash 20 s, verify 15 s),");
        md.AppendLine("`Nova:Recovery:ReattemptIntended=true`, Nova's TFTP server on loopback with a stock image (" + FaultMatrixScenario.StockVersion
            + ") per model; every job flashes " + FaultMatrixScenario.IntendedVersion + " over factory " + FaultMatrixScenario.FactoryVersion + ".");
        md.AppendLine("DDI = simulated gateway polling like SWUpdate (Acme GW-100); ONVIF = simulated camera flashed by push (Optica CAM-7).");
        md.AppendLine("Rung path: the rungs of the recovery run, from the device's timeline entries of kind `recovery`. Time: from the job's start to the end state (real seconds).");
        md.AppendLine("Technician rows: the task's steps were checked for the sticker check, the SD image's SHA-256 and link (SD-slot devices), the LED and the photos; RMA rows fail the task.");
        md.AppendLine();
        md.AppendLine("| fault | protocol | device layout | expected cause | diagnosed cause | confidence | end state | rung path | time | matches |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            var expected = (r.Row.ExpectedCause, r.Row.ExpectedEnd);
            var asExpected = (r.Cause, r.End) == expected;
            var held = Holds(r);
            var verdict = asExpected ? "yes" : held ? $"no, known: expected end \"{r.Row.ExpectedEnd}\" (note {Notes.IndexOf(r.Row.Note ?? "") + 1})" : "**NO**";
            md.AppendLine(string.Join(" | ", [
                "", r.Row.Fault, r.Row.Protocol, r.Row.Layout, r.Row.ExpectedCause, r.Cause, r.Confidence, r.End,
                r.Path.Count == 0 ? "-" : string.Join(" → ", r.Path), $"{r.Took.TotalSeconds:0} s", verdict, ""]).Trim());
        }
        md.AppendLine();
        if (Notes.Count > 0)
        {
            md.AppendLine("Notes:");
            md.AppendLine();
            for (var i = 0; i < Notes.Count; i++)
            {
                md.AppendLine($"{i + 1}. {Notes[i]}");
            }
            md.AppendLine();
        }
        md.AppendLine($"Whole matrix, set-up included: {total.TotalSeconds:0} s.");
        return md.ToString();
    }

    /// <summary>The row ended as the product is known to behave ("|" separates outcomes seen from run to run).</summary>
    private static bool Holds(Result r)
    {
        var (cause, end) = r.Row.Observed ?? (r.Row.ExpectedCause, r.Row.ExpectedEnd);
        return cause.Split('|').Contains(r.Cause) && end.Split('|').Contains(r.End);
    }

    private static List<string> Notes => Rows().Select(r => r.Note).OfType<string>().Distinct().ToList();

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Nova.Firmware.slnx")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Repository root (Nova.Firmware.slnx) not found above " + AppContext.BaseDirectory);
    }
}
