using Nova.Firmware.Domain.Diagnosis;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Nova.Firmware.Domain.Packages;
using Nova.Firmware.Domain.Recovery;
using Nova.Firmware.Engine.Recovery;
using Nova.Firmware.Engine.Tests.Infrastructure;

namespace Nova.Firmware.Engine.Tests.Recovery;

/// <summary>The technician rung: the task a person works from, its photos, and how marking it done or failed moves the run.</summary>
public sealed class TechnicianTests
{
    private const string By = "tech@test";

    /// <summary>A DDI device whose failure nobody understands, with no stock image to re-flash: straight to a technician.</summary>
    private static async Task<(EngineHarness Engine, Guid DeviceId, RecoveryRun Run, TechnicianTask Task)> AwaitingTechnicianAsync(Func<DeviceBuilder, DeviceBuilder>? shape = null)
    {
        var engine = await EngineHarness.StartAsync();
        var (device, _, run) = await engine.FailJobAsync(shape, "No suitable .swu image found");
        await engine.StepRecoveryUntilIdleAsync();
        var waiting = await engine.RunAsync(run.Id);
        Assert.Equal(RecoveryRung.AwaitingTechnician, waiting.Rung);
        Assert.Contains("the catalog has no stock image", waiting.StatusReason);
        return (engine, device.Id, waiting, Assert.Single(await engine.TasksAsync(run.Id)));
    }

    private static Task<RecoveryActionResult> CompleteAsync(EngineHarness engine, long taskId) =>
        engine.WithAsync<RecoveryService, RecoveryActionResult>(s => s.CompleteTaskAsync(taskId, By, "re-flashed from SD", CancellationToken.None));

    private static Task<RecoveryActionResult> FailAsync(EngineHarness engine, long taskId) =>
        engine.WithAsync<RecoveryService, RecoveryActionResult>(s => s.FailTaskAsync(taskId, By, "no LED at all", CancellationToken.None));

    private static Task<(TechnicianPhoto? Photo, RecoveryActionResult Result)> PhotoAsync(EngineHarness engine, long taskId, string fileName, string contentType, byte[] content) =>
        engine.WithAsync<RecoveryService, (TechnicianPhoto?, RecoveryActionResult)>(s => s.AddPhotoAsync(taskId, fileName, contentType, "sticker", content, By, CancellationToken.None));

    [Fact]
    public async Task Task_SdSlotDeviceWithAnSdImage_StepsNameTheImageItsHashAndTheModelsButton()
    {
        var engine = await EngineHarness.StartAsync(recovery: o => o.Models["C200"] = new RecoveryModelProfile
        {
            RecoveryButton = "Hold RESET and PAIR while plugging in the PoE cable",
            LedWhileFlashing = "blinking-blue",
            LedWhenDone = "solid-green",
            Photos = ["the rear label"],
        });
        await using var _ = engine;
        var stock = await engine.SeedPackageAsync("1.0.0-stock", p => { p.Kind = PackageKind.Stock; p.FileName = "c200-stock.img"; });
        var sd = await engine.SeedPackageAsync("1.0.0-sd", p => { p.Kind = PackageKind.SdRecovery; p.FileName = "c200-sd.img"; p.Sha256 = new string('d', 64); });
        // No recovery partition: after the failure there is nothing automatic left.
        var (_, _, run) = await engine.FailJobAsync(d => d.SdSlot().With(x => { x.Name = "Lobby cam"; x.Site = "HQ"; }), "No suitable .swu image found");

        await engine.StepRecoveryUntilIdleAsync();

        Assert.Equal(RecoveryRung.AwaitingTechnician, (await engine.RunAsync(run.Id)).Rung);
        var task = Assert.Single(await engine.TasksAsync(run.Id));
        Assert.Equal("Recover Lobby cam (C200 rev 1.0) at HQ", task.Title);
        // The card gets the vendor's bootable SD image, not the raw stock image the recovery partition pulls.
        Assert.Equal(sd.Id, task.SdImagePackageId);
        Assert.Equal(sd.Sha256, task.SdImageSha256);
        Assert.Equal(engine.Recovery.PackageFileUrl.Replace("{id}", sd.Id.ToString(), StringComparison.Ordinal), task.SdImageUrl);
        Assert.Contains(task.Steps, s => s.Contains(sd.FileName, StringComparison.Ordinal) && s.Contains(sd.Sha256, StringComparison.Ordinal) && s.Contains(task.SdImageUrl!, StringComparison.Ordinal));
        Assert.DoesNotContain(task.Steps, s => s.Contains(stock.FileName, StringComparison.Ordinal));
        Assert.Contains(task.Steps, s => s.Contains("Hold RESET and PAIR", StringComparison.Ordinal) && s.Contains("blinking-blue", StringComparison.Ordinal));
        Assert.Equal("solid-green", task.WaitForLed);
        Assert.Equal(["the rear label"], task.PhotosWanted);
    }

    [Fact]
    public async Task Task_SdSlotDeviceWithOnlyAStockImage_NoSdImageHandedOverAndTheStepsSayToImportOne()
    {
        await using var engine = await EngineHarness.StartAsync();
        var stock = await engine.SeedPackageAsync("1.0.0-stock", p => { p.Kind = PackageKind.Stock; p.FileName = "c200-stock.img"; });
        var (_, _, run) = await engine.FailJobAsync(d => d.SdSlot(), "No suitable .swu image found");

        await engine.StepRecoveryUntilIdleAsync();

        var task = Assert.Single(await engine.TasksAsync(run.Id));
        Assert.Null(task.SdImagePackageId);
        Assert.Null(task.SdImageSha256);
        Assert.Null(task.SdImageUrl);
        Assert.DoesNotContain(task.Steps, s => s.Contains(stock.FileName, StringComparison.Ordinal));
        Assert.Contains(task.Steps, s => s.StartsWith("No SD recovery image for Axiom C200", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CompleteTask_OpenTask_RunVerifiesTheDevice()
    {
        var (engine, _, run, task) = await AwaitingTechnicianAsync();
        await using var _ = engine;
        engine.Advance(TimeSpan.FromMinutes(30));

        var result = await CompleteAsync(engine, task.Id);

        Assert.Null(result.Error);
        var verifying = await engine.RunAsync(run.Id);
        Assert.Equal(RecoveryRung.Verifying, verifying.Rung);
        Assert.Equal(engine.Now + engine.Recovery.VerifyWait, verifying.RungDeadline);
        Assert.Equal(engine.Now, verifying.NextActionAt);
        var done = Assert.Single(await engine.TasksAsync(run.Id));
        Assert.Equal(TechnicianTaskStatus.Done, done.Status);
        Assert.Equal(By, done.CompletedBy);
        Assert.Equal(engine.Now, done.CompletedAt);
        Assert.Equal("re-flashed from SD", done.Note);
        Assert.Contains(await engine.RungChangesAsync(run), m => m.StartsWith("recovery awaiting-technician → verifying: Technician task done by tech@test", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CompleteTask_DeviceThenBackOnAKnownVersion_Recovered()
    {
        var (engine, deviceId, run, task) = await AwaitingTechnicianAsync();
        await using var _ = engine;
        engine.Advance(TimeSpan.FromMinutes(30));
        await CompleteAsync(engine, task.Id);

        engine.Advance(TimeSpan.FromSeconds(40));
        await engine.ReportAsync(deviceId, version: "1.0.0", led: "solid");
        await engine.StepRecoveryUntilIdleAsync();

        var recovered = await engine.RunAsync(run.Id);
        Assert.Equal(RecoveryRung.Recovered, recovered.Rung);
        Assert.Equal("1.0.0", recovered.RecoveredVersion);
    }

    [Fact]
    public async Task CompleteTask_SilentCameraBackWithALogThatSaysWhy_DiagnosisRefinedToTheLogsCause()
    {
        await using var engine = await EngineHarness.StartAsync();
        // A camera that failed without a word and is silent now: nothing tells why.
        var (device, _, run) = await engine.FailPushJobAsync(null, "Update failed");
        engine.Push.Silence();
        await engine.StepRecoveryUntilIdleAsync();
        var waiting = await engine.RunAsync(run.Id);
        Assert.Equal(RecoveryRung.AwaitingTechnician, waiting.Rung);
        Assert.True(waiting.Cause is FailureCause.Unknown or FailureCause.Unreachable, $"{waiting.Cause}");
        var task = Assert.Single(await engine.TasksAsync(run.Id));

        // Re-flashed from SD by the technician, it answers again; its persistent log kept the power cut.
        await CompleteAsync(engine, task.Id);
        engine.Advance(TimeSpan.FromSeconds(40));
        engine.Push.Logs = "2026-12-04T10:00:00Z writing slot B: 2.0.0 (4096 bytes)\n2026-12-04T10:00:04Z power lost (power-loss)\n2026-12-04T10:00:09Z power on (reset reason power-loss)";
        engine.Push.Answer(version: "1.0.0", led: "solid");
        await engine.StepRecoveryUntilIdleAsync();

        var recovered = await engine.RunAsync(run.Id);
        Assert.Equal(RecoveryRung.Recovered, recovered.Rung);
        Assert.Equal(FailureCause.PowerLoss, recovered.Cause);
        Assert.True(recovered.Confidence > waiting.Confidence);
        Assert.Contains("Diagnosis refined now that the device's log can be read: power-loss", recovered.StatusReason);
    }

    [Fact]
    public async Task CompleteTask_CameraBackWithALogThatSaysNothing_DiagnosisKept()
    {
        await using var engine = await EngineHarness.StartAsync();
        var (_, _, run) = await engine.FailPushJobAsync(null, "Update failed");
        engine.Push.Silence();
        await engine.StepRecoveryUntilIdleAsync();
        var waiting = await engine.RunAsync(run.Id);
        var task = Assert.Single(await engine.TasksAsync(run.Id));

        await CompleteAsync(engine, task.Id);
        engine.Advance(TimeSpan.FromSeconds(40));
        engine.Push.Logs = "2026-12-04T10:00:09Z booted slot A, firmware 1.0.0: healthy";
        engine.Push.Answer(version: "1.0.0", led: "solid");
        await engine.StepRecoveryUntilIdleAsync();

        var recovered = await engine.RunAsync(run.Id);
        Assert.Equal(RecoveryRung.Recovered, recovered.Rung);
        Assert.Equal(waiting.Cause, recovered.Cause);
        Assert.DoesNotContain("refined", recovered.StatusReason);
    }

    [Fact]
    public async Task CompleteTask_DeviceStillNotBackAfterTheVerifyWait_TheSameTaskIsOpenAgainAndCanBeFailed()
    {
        var (engine, _, run, task) = await AwaitingTechnicianAsync();
        await using var _ = engine;
        engine.Advance(TimeSpan.FromMinutes(30));
        await CompleteAsync(engine, task.Id);
        var verifying = await engine.RunAsync(run.Id);

        engine.AdvanceTo(verifying.RungDeadline!.Value + TimeSpan.FromSeconds(5));
        await engine.StepRecoveryUntilIdleAsync();

        var waiting = await engine.RunAsync(run.Id);
        Assert.Equal(RecoveryRung.AwaitingTechnician, waiting.Rung);
        var reopened = Assert.Single(await engine.TasksAsync(run.Id));
        Assert.Equal(task.Id, reopened.Id);
        Assert.Equal(TechnicianTaskStatus.Open, reopened.Status);
        Assert.Null(reopened.CompletedAt);
        Assert.Null(reopened.CompletedBy);
        Assert.Contains("Not verified within", reopened.Reason);
        Assert.Contains("re-flashed from SD", reopened.Reason);
        Assert.NotEmpty(reopened.Steps);

        Assert.Null((await FailAsync(engine, task.Id)).Error);
        Assert.Equal(RecoveryRung.Rma, (await engine.RunAsync(run.Id)).Rung);
    }

    [Fact]
    public async Task AwaitingTechnician_DeviceBackButNeverHealthy_TheCancelledTaskIsOpenAgain()
    {
        var (engine, deviceId, run, task) = await AwaitingTechnicianAsync();
        await using var _ = engine;
        engine.Advance(TimeSpan.FromMinutes(5));
        await engine.ReportAsync(deviceId, version: "1.0.0", led: "solid-red");
        await engine.StepRecoveryUntilIdleAsync();
        var verifying = await engine.RunAsync(run.Id);
        Assert.Equal(RecoveryRung.Verifying, verifying.Rung);
        Assert.Equal(TechnicianTaskStatus.Cancelled, Assert.Single(await engine.TasksAsync(run.Id)).Status);

        engine.AdvanceTo(verifying.RungDeadline!.Value + TimeSpan.FromSeconds(5));
        await engine.StepRecoveryUntilIdleAsync();

        Assert.Equal(RecoveryRung.AwaitingTechnician, (await engine.RunAsync(run.Id)).Rung);
        var reopened = Assert.Single(await engine.TasksAsync(run.Id));
        Assert.Equal(task.Id, reopened.Id);
        Assert.Equal(TechnicianTaskStatus.Open, reopened.Status);
    }

    [Fact]
    public async Task FailTask_OpenTask_RunEndsInRma()
    {
        var (engine, deviceId, run, task) = await AwaitingTechnicianAsync();
        await using var _ = engine;

        var result = await FailAsync(engine, task.Id);

        Assert.Null(result.Error);
        var rma = await engine.RunAsync(run.Id);
        Assert.Equal(RecoveryRung.Rma, rma.Rung);
        Assert.Null(rma.ActiveDeviceId);
        Assert.Contains("no LED at all", rma.StatusReason);
        Assert.Equal(TechnicianTaskStatus.Failed, Assert.Single(await engine.TasksAsync(run.Id)).Status);
        // The run is over: the device may be given a job again (an RMA replacement keeps its inventory entry).
        Assert.Empty(await engine.ClaimRecoveryAsync());
        Assert.DoesNotContain(await engine.RunsAsync(deviceId), r => r.ActiveDeviceId is not null);
    }

    [Fact]
    public async Task CompleteTask_Twice_SecondIsAConflictAndChangesNothing()
    {
        var (engine, _, run, task) = await AwaitingTechnicianAsync();
        await using var _ = engine;
        Assert.Null((await CompleteAsync(engine, task.Id)).Error);
        var after = await engine.RunAsync(run.Id);
        var changes = (await engine.RungChangesAsync(run)).Count;

        var second = await CompleteAsync(engine, task.Id);
        var failAfter = await FailAsync(engine, task.Id);

        Assert.Equal(RecoveryActionError.Conflict, second.Error);
        Assert.Equal(RecoveryActionError.Conflict, failAfter.Error);
        var now = await engine.RunAsync(run.Id);
        Assert.Equal(RecoveryRung.Verifying, now.Rung);
        Assert.Equal(after.UpdatedAt, now.UpdatedAt);
        Assert.Equal(changes, (await engine.RungChangesAsync(run)).Count);
        Assert.Equal(TechnicianTaskStatus.Done, Assert.Single(await engine.TasksAsync(run.Id)).Status);
    }

    [Fact]
    public async Task CompleteTask_CompletedAndFailedAtOnce_OnlyOneWins()
    {
        var (engine, _, run, task) = await AwaitingTechnicianAsync();
        await using var _ = engine;

        var results = await Task.WhenAll(CompleteAsync(engine, task.Id), FailAsync(engine, task.Id));

        Assert.Single(results, r => r.Error is null);
        Assert.Single(results, r => r.Error == RecoveryActionError.Conflict);
        var finished = await engine.RunAsync(run.Id);
        var status = Assert.Single(await engine.TasksAsync(run.Id)).Status;
        Assert.True((finished.Rung, status) is (RecoveryRung.Verifying, TechnicianTaskStatus.Done) or (RecoveryRung.Rma, TechnicianTaskStatus.Failed), $"{finished.Rung} with task {status}");
    }

    [Fact]
    public async Task CompleteTask_UnknownTask_NotFound()
    {
        var (engine, _, _, task) = await AwaitingTechnicianAsync();
        await using var _ = engine;

        Assert.Equal(RecoveryActionError.NotFound, (await CompleteAsync(engine, task.Id + 1000)).Error);
        Assert.Equal(RecoveryActionError.NotFound, (await PhotoAsync(engine, task.Id + 1000, "a.png", "image/png", [1])).Result.Error);
    }

    [Fact]
    public async Task AwaitingTechnician_DeviceComesBackBeforeAnyoneWent_TaskCancelledAndRunVerifies()
    {
        var (engine, deviceId, run, task) = await AwaitingTechnicianAsync();
        await using var _ = engine;

        engine.Advance(TimeSpan.FromMinutes(5));
        await engine.ReportAsync(deviceId, version: "1.0.0");
        await engine.StepRecoveryUntilIdleAsync();

        Assert.Equal(RecoveryRung.Recovered, (await engine.RunAsync(run.Id)).Rung);
        var cancelled = Assert.Single(await engine.TasksAsync(run.Id));
        Assert.Equal(TechnicianTaskStatus.Cancelled, cancelled.Status);
        Assert.Equal(RecoveryActionError.Conflict, (await CompleteAsync(engine, task.Id)).Error);
    }

    [Theory]
    [InlineData(0, "image/png")]
    [InlineData(RecoveryService.MaxPhotoBytes + 1, "image/jpeg")]
    [InlineData(16, "text/plain")]
    [InlineData(16, "image/svg+xml")]
    [InlineData(16, "application/octet-stream")]
    [InlineData(16, "")]
    public async Task AddPhoto_EmptyOversizeOrNotAnImage_RefusedAndNothingStored(long size, string contentType)
    {
        var (engine, _, _, task) = await AwaitingTechnicianAsync();
        await using var _ = engine;

        var (photo, result) = await PhotoAsync(engine, task.Id, "sticker.png", contentType, new byte[size]);

        Assert.Null(photo);
        Assert.Equal(RecoveryActionError.Invalid, result.Error);
        Assert.Equal(0, await engine.WithDbAsync(db => db.Set<TechnicianPhoto>().CountAsync()));
    }

    [Theory]
    [InlineData("../../etc/passwd.png", "passwd.png")]
    [InlineData(@"..\..\Windows\System32\evil.jpg", "evil.jpg")]
    [InlineData("/var/tmp/LED status (rear).jpg", "LED_status__rear_.jpg")]
    [InlineData("..", "photo")]
    [InlineData(".hidden.png", "hidden.png")]
    public async Task AddPhoto_GoodImage_StoredWithItsSha256AndAPlainFileName(string fileName, string stored)
    {
        var (engine, deviceId, _, task) = await AwaitingTechnicianAsync();
        await using var _ = engine;
        var content = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3 };

        var (photo, result) = await PhotoAsync(engine, task.Id, fileName, "IMAGE/PNG", content);

        Assert.Null(result.Error);
        Assert.NotNull(photo);
        var saved = Assert.Single(await engine.WithDbAsync(db => db.Set<TechnicianPhoto>().AsNoTracking().ToListAsync()));
        Assert.Equal(stored, saved.FileName);
        Assert.DoesNotContain('/', saved.FileName);
        Assert.DoesNotContain('\\', saved.FileName);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), saved.Sha256);
        Assert.Equal(content, saved.Content);
        Assert.Equal("image/png", saved.ContentType);
        Assert.Equal(task.Id, saved.TaskId);
        Assert.Equal(deviceId, saved.DeviceId);
        Assert.Equal(By, saved.UploadedBy);
        Assert.Equal("sticker", saved.Caption);
    }

    [Fact]
    public async Task AddPhoto_ExactlyTheLargestAllowed_Stored()
    {
        var (engine, _, _, task) = await AwaitingTechnicianAsync();
        await using var _ = engine;

        var (photo, result) = await PhotoAsync(engine, task.Id, "big.jpg", "image/jpeg", new byte[RecoveryService.MaxPhotoBytes]);

        Assert.Null(result.Error);
        Assert.Equal(RecoveryService.MaxPhotoBytes, photo!.Content.Length);
    }
}
