using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Nova.Firmware.EndToEnd.Tests.Swupdate;
using Nova.Firmware.Protocols.Ddi;

namespace Nova.Firmware.EndToEnd.Tests.Nova;

/// <summary>
/// Debian's real SWUpdate client (suricatta, hawkBit mode) against the Nova server: one flash end
/// to end, and the three failures of the article reproduced with the real client.
/// </summary>
public sealed class RealSwupdateFlashTests
{
    /// <summary>What the device's SWUpdate reports about itself (configData) on <paramref name="version"/>.</summary>
    internal static Dictionary<string, string> Identity(string version) => new()
    {
        [DdiValues.Attributes.FirmwareVersion] = version,
        [DdiValues.Attributes.Model] = "GW-100",
    };

    [Fact(Timeout = 180_000)]
    public async Task Flash_RealClient_SucceedsOnlyAfterRebootConfirmationAndVersionReport()
    {
        await using var scenario = await NovaSwupdateScenario.CreateAsync();
        var image = RandomNumberGenerator.GetBytes(300_000);
        var bundle = await scenario.Bundle().WithVersion("2.0.0").WithHardwareCompatibility("1.0").AddRawFile("rootfs.img", image, scenario.TargetPath).BuildAsync();
        var packageId = await scenario.ImportAsync(bundle);
        // The catalog verified openssl's signature against the certificate the client trusts.
        var package = await scenario.PackageAsync(packageId);
        Assert.Equal("verified", package.GetProperty("signatureCheck").GetString());
        Assert.Equal("CN=nova-test-signer", package.GetProperty("signedBy").GetString());
        await scenario.StartDeviceAsync(identify: Identity("1.0.0"));

        var jobId = await scenario.StartJobAsync(packageId);
        await scenario.Swupdate.WaitForOutputAsync(l => l.Contains("Please restart SWUpdate", StringComparison.Ordinal), NovaSwupdateScenario.StepTimeout, "install done");
        Assert.Equal(image, await File.ReadAllBytesAsync(scenario.TargetPath));
        // Written is not done: without the post-reboot confirmation the job must not succeed.
        var written = await scenario.JobInStatusAsync(jobId, "rebooting");
        Assert.Contains(NovaSwupdateScenario.TimelineText(written), t => t.Contains("All Chunks Installed.", StringComparison.Ordinal));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal("rebooting", (await scenario.JobAsync(jobId)).GetProperty("status").GetString());

        await scenario.Swupdate.RestartAfterRebootAsync(SwupdateConfirmation.Success, Identity("2.0.0"));

        var done = await scenario.JobInStatusAsync(jobId, "succeeded", "failed");
        Assert.Equal("succeeded", done.GetProperty("status").GetString());
        var timeline = NovaSwupdateScenario.TimelineText(done);
        Assert.Contains(timeline, t => t.Contains("Update Installed.", StringComparison.Ordinal));
        Assert.Contains(timeline, t => t.Contains("Reported version 2.0.0", StringComparison.Ordinal));
    }

    [Fact(Timeout = 180_000)]
    public async Task Flash_RealClientWrongInnerSha256_FailsWithChecksumMismatchAndClientWords()
    {
        await using var scenario = await NovaSwupdateScenario.CreateAsync();
        var bundle = await scenario.Bundle().WithVersion("2.0.0").WithHardwareCompatibility("1.0")
            .AddRawFile("rootfs.img", RandomNumberGenerator.GetBytes(50_000), scenario.TargetPath).WithWrongSha256For("rootfs.img").BuildAsync();
        // The catalog verifies inner hashes on import and refuses this bundle; the device's own check
        // is the second line of defence, tested here with the bundle stored behind the catalog's back.
        await RefusedByCatalogAndDeviceAsync(scenario, bundle, "Invalid SWUpdate bundle", "HASH mismatch");
    }

    [Fact(Timeout = 180_000)]
    public async Task Flash_RealClientBundleFromAnotherSigner_IsRefusedByTheCatalogAsByTheDevice()
    {
        await using var scenario = await NovaSwupdateScenario.CreateAsync();
        var stranger = await scenario.StrangerAsync();
        var bundle = await scenario.Bundle(stranger).WithVersion("2.0.0").WithHardwareCompatibility("1.0")
            .AddRawFile("rootfs.img", RandomNumberGenerator.GetBytes(50_000), scenario.TargetPath).BuildAsync();
        // The catalog refuses it at import; behind its back, the device refuses it too, in its own words.
        await RefusedByCatalogAndDeviceAsync(scenario, bundle, "Signature refused", "Authentication of all signatures failed");
    }

    /// <summary>
    /// The catalog refuses the bundle with <paramref name="importTitle"/>; stored behind its back, the
    /// real client refuses it too (<paramref name="clientWords"/> in the timeline), writes nothing,
    /// and the job ends failed with cause checksum-mismatch.
    /// </summary>
    private static async Task RefusedByCatalogAndDeviceAsync(NovaSwupdateScenario scenario, SwuBundle bundle, string importTitle, string clientWords)
    {
        Assert.Equal((422, importTitle), await scenario.TryImportAsync(bundle));
        var packageId = await scenario.StoreBypassingImportAsync(bundle);
        await scenario.StartDeviceAsync(identify: Identity("1.0.0"));

        var jobId = await scenario.StartJobAsync(packageId);

        var done = await scenario.JobInStatusAsync(jobId, "failed", "succeeded");
        Assert.Equal("failed", done.GetProperty("status").GetString());
        Assert.Equal("checksum-mismatch", done.GetProperty("cause").GetString());
        Assert.Contains(NovaSwupdateScenario.TimelineText(done), t => t.Contains(clientWords, StringComparison.Ordinal));
        Assert.False(File.Exists(scenario.TargetPath) && (await File.ReadAllBytesAsync(scenario.TargetPath)).Length > 0);
    }

    [Fact(Timeout = 180_000)]
    public async Task Flash_RealClientOtherHardwareRevision_FailsWithWrongHardware()
    {
        // The inventory says revision 2.0 (mistyped, not read from the sticker); the board is 1.0.
        await using var scenario = await NovaSwupdateScenario.CreateAsync(inventoryRevision: "2.0");
        var bundle = await scenario.Bundle().WithVersion("2.0.0").WithHardwareCompatibility("2.0")
            .AddRawFile("rootfs.img", RandomNumberGenerator.GetBytes(50_000), scenario.TargetPath).BuildAsync();
        var packageId = await scenario.ImportAsync(bundle);
        await scenario.StartDeviceAsync(hardwareRevision: "1.0");

        var jobId = await scenario.StartJobAsync(packageId);

        var done = await scenario.JobInStatusAsync(jobId, "failed", "succeeded");
        Assert.Equal("failed", done.GetProperty("status").GetString());
        Assert.Equal("wrong-hardware", done.GetProperty("cause").GetString());
        Assert.Contains(NovaSwupdateScenario.TimelineText(done), t => t.Contains("SW not compatible with hardware", StringComparison.Ordinal));
        Assert.False(File.Exists(scenario.TargetPath));
    }

    [Fact(Timeout = 180_000)]
    public async Task Flash_RealClientDownloadCutShort_ResumesThenFailsAsChecksumMismatch()
    {
        var cutter = new ArtifactCutter(cutAfterBytes: 40_000);
        await using var scenario = await NovaSwupdateScenario.CreateAsync(configureServices: s => s.AddSingleton<IStartupFilter>(cutter));
        var bundle = await scenario.Bundle().WithVersion("2.0.0").WithHardwareCompatibility("1.0")
            .AddRawFile("rootfs.img", RandomNumberGenerator.GetBytes(400_000), scenario.TargetPath).BuildAsync();
        var packageId = await scenario.ImportAsync(bundle);
        await scenario.StartDeviceAsync(identify: Identity("1.0.0"));

        var jobId = await scenario.StartJobAsync(packageId);

        var done = await scenario.JobInStatusAsync(jobId, "failed", "succeeded");
        Assert.Equal("failed", done.GetProperty("status").GetString());
        Assert.Equal("checksum-mismatch", done.GetProperty("cause").GetString());
        var timeline = NovaSwupdateScenario.TimelineText(done);
        Assert.True(timeline.Any(t => t.Contains("resumed (bytes=", StringComparison.Ordinal)), string.Join("\n", timeline));
        Assert.Contains(timeline, t => t.Contains("too many failed download attempts", StringComparison.Ordinal) || t.Contains("HASH mismatch", StringComparison.Ordinal));
    }
}
