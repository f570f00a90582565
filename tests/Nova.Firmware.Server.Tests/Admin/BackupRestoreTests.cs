using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Packages;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Admin;
using Nova.Firmware.Server.Packages;
using Nova.Firmware.Server.Tests.Builders;
using Nova.Firmware.Server.Tests.Credentials;
using Nova.Firmware.Server.Tests.Ddi;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Admin;

public sealed class BackupRestoreTests : IDisposable
{
    private readonly string _backup = Path.Combine(Path.GetTempPath(), "nova-backup-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Backup_TakenWhileJobsRun_RestoresOnAFreshDataDirectoryWithEveryBlobAndJob()
    {
        await using var server = await NovaServer.StartAsync(settings: NovaServer.FastEngine);
        var packages = new List<FirmwarePackage>();
        for (var i = 0; i < 3; i++)
        {
            packages.Add(await server.AddPackageAsync(RandomNumberGenerator.GetBytes(100_000 + i), version: $"2.0.{i}"));
        }
        var devices = new List<(Guid Id, DdiTestDevice Ddi, long Job)>();
        for (var i = 0; i < 5; i++)
        {
            var device = FleetBuilder.Gateway();
            var ddi = await DdiFixture.EnrolAsync(server, device);
            devices.Add((device.Id, ddi, await DdiFixture.StartJobAsync(server, device.Id, packages[i % packages.Count].Id)));
        }
        using var admin = server.CreateAdminClient();
        const string cameraPassword = "kept-across-restore";
        await CredentialSteps.PutAsync(admin, $"/api/v1/devices/{devices[0].Id}/credentials", "service", cameraPassword);
        foreach (var d in devices)
        {
            await DdiFixture.JobInStatusAsync(server, d.Job, "transferring");
        }

        // Devices keep reporting and the engine keeps stepping while the backup runs.
        using var stop = new CancellationTokenSource();
        var traffic = Task.Run(async () =>
        {
            var n = 0;
            while (!stop.IsCancellationRequested)
            {
                var (_, ddi, job) = devices[n++ % devices.Count];
                await ddi.PollAsync();
                await ddi.FeedbackAsync(job, "proceeding", "none", $"Downloading, step {n}.");
            }
        });
        await Eventually.GetAsync(() => Task.FromResult(traffic.IsCompleted || CountTimeline(server) > 40), done => done, what: "device traffic");
        var (code, output, error) = await AdminAsync("backup", "--to", _backup, $"--Nova:DataDirectory={server.DataDirectory}");
        await stop.CancelAsync();
        await traffic;
        Assert.True(code == 0, $"backup failed: {error}");
        Assert.Contains("3 copied, each verified", output, StringComparison.Ordinal);
        Assert.Equal(["nova-backup.json", "nova-firmware.db"], Directory.GetFiles(_backup).Select(Path.GetFileName).Order());

        var fresh = NovaServer.NewDataDirectory();
        (code, _, error) = await AdminAsync("restore", "--from", _backup, $"--Nova:DataDirectory={fresh}");
        Assert.True(code == 0, $"restore failed: {error}");
        Assert.Equal(["nova-backup.json", "nova-firmware.db"], Directory.GetFiles(_backup).Select(Path.GetFileName).Order());

        await using var restored = NovaServer.StartOnDataDirectory(fresh, new Dictionary<string, string> { ["Nova:Engine:RunLoops"] = "false" });
        var jobs = restored.WithScope(s => s.GetRequiredService<FirmwareDbContext>().Set<DeviceJob>().AsNoTracking().ToList());
        Assert.Equal(devices.Select(d => d.Job).Order(), jobs.Select(j => j.Id).Order());
        Assert.All(jobs, j => Assert.Equal(DeviceJobStatus.Transferring, j.Status));
        var blobs = restored.Services.GetRequiredService<BlobStore>();
        foreach (var package in packages)
        {
            var bytes = await File.ReadAllBytesAsync(blobs.PathFor(package.Sha256));
            Assert.Equal(package.Sha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        }
        var device0 = restored.WithScope(s => s.GetRequiredService<FirmwareDbContext>().Set<Domain.Devices.Device>().AsNoTracking().Single(d => d.Id == devices[0].Id));
        Assert.Equal(cameraPassword, (await CredentialSteps.FindAsync(restored, device0))?.Password);
    }

    [Fact]
    public async Task Restore_BlobChangedInTheBackup_RefusesAndWritesNothing()
    {
        await using var server = await NovaServer.StartAsync();
        var package = await server.AddPackageAsync(RandomNumberGenerator.GetBytes(10_000));
        Assert.Equal(0, (await AdminAsync("backup", "--to", _backup, $"--Nova:DataDirectory={server.DataDirectory}")).Code);
        var copy = AdminSettings.BlobPath(Path.Combine(_backup, "blobs"), package.Sha256);
        var bytes = await File.ReadAllBytesAsync(copy);
        bytes[42] ^= 0xFF;
        await File.WriteAllBytesAsync(copy, bytes);

        var fresh = NovaServer.NewDataDirectory();
        try
        {
            var (code, _, error) = await AdminAsync("restore", "--from", _backup, $"--Nova:DataDirectory={fresh}");
            Assert.Equal(1, code);
            Assert.Contains(package.Sha256, error, StringComparison.Ordinal);
            Assert.Empty(Directory.EnumerateFileSystemEntries(fresh));
        }
        finally
        {
            Directory.Delete(fresh, recursive: true);
        }
    }

    [Fact]
    public async Task Backup_BlobNoLongerMatchesTheCatalog_FailsWithoutManifest()
    {
        await using var server = await NovaServer.StartAsync();
        var package = await server.AddPackageAsync(RandomNumberGenerator.GetBytes(10_000));
        await File.WriteAllBytesAsync(server.Services.GetRequiredService<BlobStore>().PathFor(package.Sha256), RandomNumberGenerator.GetBytes(10_000));

        var (code, _, error) = await AdminAsync("backup", "--to", _backup, $"--Nova:DataDirectory={server.DataDirectory}");

        Assert.Equal(1, code);
        Assert.Contains(package.Sha256, error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_backup, BackupManifest.FileName)));
    }

    [Fact]
    public async Task Restore_DataDirectoryAlreadyHasADatabase_Refuses()
    {
        await using var server = await NovaServer.StartAsync();
        Assert.Equal(0, (await AdminAsync("backup", "--to", _backup, $"--Nova:DataDirectory={server.DataDirectory}")).Code);

        var (code, _, error) = await AdminAsync("restore", "--from", _backup, $"--Nova:DataDirectory={server.DataDirectory}");

        Assert.Equal(1, code);
        Assert.Contains("already exists", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backup_OnPostgres_CopiesAndVerifiesBlobsAndLeavesTheDatabaseToPgDump()
    {
        await using var server = await NovaServer.StartAsync(DatabaseProvider.Postgres);
        var package = await server.AddPackageAsync(RandomNumberGenerator.GetBytes(20_000));
        string[] postgres = ["--Nova:Database:Provider=Postgres", $"--Nova:Database:ConnectionString={server.PostgresConnection}"];

        var (code, output, error) = await AdminAsync(["backup", "--to", _backup, $"--Nova:DataDirectory={server.DataDirectory}", .. postgres]);

        Assert.True(code == 0, $"backup failed: {error}");
        Assert.Contains("pg_dump", output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_backup, "nova-firmware.db")));
        var fresh = NovaServer.NewDataDirectory();
        try
        {
            (code, output, error) = await AdminAsync(["restore", "--from", _backup, $"--Nova:DataDirectory={fresh}", .. postgres]);
            Assert.True(code == 0, $"restore failed: {error}");
            Assert.Contains("pg_restore", output, StringComparison.Ordinal);
            var restored = await File.ReadAllBytesAsync(AdminSettings.BlobPath(Path.Combine(fresh, "blobs"), package.Sha256));
            Assert.Equal(package.Sha256, Convert.ToHexStringLower(SHA256.HashData(restored)));
            Assert.False(File.Exists(Path.Combine(fresh, "nova-firmware.db")));
        }
        finally
        {
            Directory.Delete(fresh, recursive: true);
        }
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("admin", "backup")]
    [InlineData("admin", "explode", "--to", "x")]
    public async Task RunAsync_IncompleteCommand_PrintsUsageAndExitsWith2(params string[] args)
    {
        var error = new StringWriter();
        Assert.Equal(2, await AdminCommands.RunAsync(args, TextWriter.Null, error, CancellationToken.None));
        Assert.Contains("admin backup --to DIR", error.ToString(), StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output, string Error)> AdminAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await AdminCommands.RunAsync(["admin", .. args], output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    private static int CountTimeline(NovaServer server) =>
        server.WithScope(s => s.GetRequiredService<FirmwareDbContext>().Set<Domain.Timeline.TimelineEntry>().Count());

    public void Dispose()
    {
        if (Directory.Exists(_backup))
        {
            Directory.Delete(_backup, recursive: true);
        }
    }
}
