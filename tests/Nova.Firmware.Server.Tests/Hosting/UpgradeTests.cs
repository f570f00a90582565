using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.Extensions.DependencyInjection;
using Nova.Firmware.Domain.Timeline;
using Nova.Firmware.Persistence;
using Nova.Firmware.Protocols.Ddi;
using Nova.Firmware.Server.Auth;
using Nova.Firmware.Server.Tests.Ddi;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Hosting;

/// <summary>
/// Starting this build on a database an older build left: the schema of the first released
/// migration, rows written the way that build wrote them (plain SQL, not today's model), a job
/// mid-transfer under a lease of a replica that is gone and a job still queued.
/// </summary>
public sealed class UpgradeTests
{
    private const string FirstMigration = "20261123230247_Initial";
    private static readonly DateTimeOffset Then = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffsetToBinaryConverter Instant = new();

    [Fact]
    public async Task Start_OnDatabaseOfTheFirstMigrationWithJobsInFlight_MigratesKeepsHistoryAndFinishesTheJobs()
    {
        var data = NovaServer.NewDataDirectory();
        var image = RandomNumberGenerator.GetBytes(120_000);
        var old = await CreateFirstReleaseDatabaseAsync(data, image);

        // The queued job's device was last heard from before the upgrade: pre-flight makes it wait
        // for a check-in and looks again after this interval.
        var settings = new Dictionary<string, string>(NovaServer.FastEngine) { ["Nova:Engine:Preflight:WaitRecheckInterval"] = "00:00:01" };
        await using var server = NovaServer.StartOnDataDirectory(data, settings);

        // Migrated to the last migration this build has, nothing pending.
        var applied = server.WithScope(s => s.GetRequiredService<FirmwareDbContext>().Database.GetAppliedMigrations().ToList());
        var known = server.WithScope(s => s.GetRequiredService<FirmwareDbContext>().Database.GetMigrations().ToList());
        Assert.Equal(known, applied);

        // The finished job and its timeline are as they were.
        var history = await DdiFixture.JobAsync(server, old.FinishedJob);
        Assert.Equal("succeeded", history.GetProperty("status").GetString());
        Assert.Contains(history.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("message").GetString() == "verifying → succeeded: 1.5.0 confirmed.");

        // The job that was transferring when the old build stopped is taken over and finishes.
        var first = new DdiTestDevice(server.CreateClient(), "gw-upgrade-1", old.Token1);
        await FinishAsync(server, first, old.InFlightJob, old);

        // The job that was still queued goes through pre-flight once its device is heard from, and finishes.
        var second = new DdiTestDevice(server.CreateClient(), "gw-upgrade-2", old.Token2);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await second.PollAsync()).Status);
        await Eventually.GetAsync(() => DdiFixture.LastSeenAsync(server, old.Device2), seen => seen > Then, what: "device 2's check-in written");
        await DdiFixture.JobInStatusAsync(server, old.QueuedJob, "transferring");
        await FinishAsync(server, second, old.QueuedJob, old);
    }

    private static async Task FinishAsync(NovaServer server, DdiTestDevice device, long jobId, OldDatabase old)
    {
        var poll = (await device.PollAsync()).Body!;
        Assert.NotNull(poll.Links.DeploymentBase);
        var deployment = (await device.GetDeploymentAsync(poll.Links.DeploymentBase!.Href))!;
        var artifact = Assert.Single(Assert.Single(deployment.Deployment.Chunks).Artifacts);
        Assert.Equal(old.Sha256, artifact.Hashes.Sha256);
        using (var download = await device.DownloadAsync(artifact.Links.Download.Href))
        {
            Assert.Equal(old.Sha256, Convert.ToHexStringLower(SHA256.HashData(await download.Content.ReadAsByteArrayAsync())));
        }
        await device.FeedbackAsync(jobId, "closed", "success", "Update Installed.");
        await DdiFixture.JobInStatusAsync(server, jobId, "verifying");
        await device.ConfigDataAsync(new Dictionary<string, string> { [DdiValues.Attributes.FirmwareVersion] = "2.0.0", [DdiValues.Attributes.HwRevision] = "1.0" });
        var done = await DdiFixture.JobInStatusAsync(server, jobId, "succeeded", "failed");
        Assert.Equal("succeeded", done.GetProperty("status").GetString());
    }

    private sealed record OldDatabase(long FinishedJob, long InFlightJob, long QueuedJob, string Token1, string Token2, string Sha256, Guid Device2);

    /// <summary>The first migration's schema via EF's migrator, then rows by SQL in that schema, and the package's blob.</summary>
    private static async Task<OldDatabase> CreateFirstReleaseDatabaseAsync(string data, byte[] image)
    {
        var connection = PersistenceServiceCollectionExtensions.SqliteConnectionString(data);
        var options = new DbContextOptionsBuilder<SqliteFirmwareDbContext>().UseSqlite(connection).Options;
        await using (var db = new SqliteFirmwareDbContext(options))
        {
            await db.GetService<IMigrator>().MigrateAsync(FirstMigration);
            Assert.Equal([FirstMigration], await db.Database.GetAppliedMigrationsAsync());
        }

        var sha256 = Convert.ToHexStringLower(SHA256.HashData(image));
        var blob = Path.Combine(data, "blobs", "sha256", sha256[..2], sha256);
        Directory.CreateDirectory(Path.GetDirectoryName(blob)!);
        await File.WriteAllBytesAsync(blob, image);

        var package = Guid.NewGuid();
        var device1 = Guid.NewGuid();
        var device2 = Guid.NewGuid();
        const string token1 = "old-build-token-0001";
        const string token2 = "old-build-token-0002";
        await using var sql = new SqliteConnection(connection);
        await sql.OpenAsync();
        await ExecAsync(sql, """
            INSERT INTO packages (Id, Vendor, Version, Models, HardwareRevisions, Soc, Kind, Format, FileName, ReleaseNotes, Sha256, Sha1, Md5, Size, Signature, ImportedAt, ImportedBy)
            VALUES ($id, 'Acme', '2.0.0', '["GW-100"]', '["1.0"]', 'aarch64', 'update', 'swu', 'update.swu', NULL, $sha256, $sha1, $md5, $size, NULL, $then, 'admin');
            """, ("$id", G(package)), ("$sha256", sha256),
#pragma warning disable CA5350, CA5351 // DDI clients require SHA-1 and MD5 alongside SHA-256.
            ("$sha1", Convert.ToHexStringLower(SHA1.HashData(image))), ("$md5", Convert.ToHexStringLower(MD5.HashData(image))),
#pragma warning restore CA5350, CA5351
            ("$size", image.Length), ("$then", T(Then)));
        foreach (var (id, controller, token) in new[] { (device1, "gw-upgrade-1", token1), (device2, "gw-upgrade-2", token2) })
        {
            await ExecAsync(sql, """
                INSERT INTO devices (Id, ControllerId, Name, Vendor, Model, HardwareRevision, Soc, Serial, Kind, Site, Tags, Protocol, Address, CreatedAt, UpdatedAt,
                    Capabilities_AbSlots, Capabilities_BootLoopRetry, Capabilities_RecoveryPartition, Capabilities_RemoteRecoveryTrigger, Capabilities_SdSlot,
                    Firmware_ActiveVersion, Firmware_InactiveVersion, Health_LastSeenAt, Health_Status, PowerFeed_Port, PowerFeed_SwitchId, Storage_FreeBytes, Storage_TotalBytes)
                VALUES ($id, $controller, NULL, 'Acme', 'GW-100', '1.0', 'aarch64', $controller, 'gateway', 'plant', '[]', 'ddi', NULL, $then, $then,
                    0, 0, 0, 0, 0, '1.5.0', NULL, $then, 'healthy', NULL, NULL, 536870912, 1073741824);
                INSERT INTO device_tokens (DeviceId, TokenHash, CreatedAt) VALUES ($id, $hash, $then);
                """, ("$id", G(id)), ("$controller", controller), ("$hash", ApiKeySecrets.Hash(token)), ("$then", T(Then)));
        }
        var finished = await InsertJobAsync(sql, device1, package, "succeeded", active: false, "Device reports 1.5.0.", leaseOwner: null);
        await ExecAsync(sql, """
            INSERT INTO timeline (DeviceId, JobId, At, Kind, Message, Data) VALUES ($device, $job, $then, 'transition', 'verifying → succeeded: 1.5.0 confirmed.', NULL);
            """, ("$device", G(device1)), ("$job", finished), ("$then", T(Then)));
        var inFlight = await InsertJobAsync(sql, device1, package, "transferring", active: true, "Waiting for the device to fetch the update.", leaseOwner: "old-build-replica");
        await ExecAsync(sql, """
            INSERT INTO timeline (DeviceId, JobId, At, Kind, Message, Data) VALUES ($device, $job, $then, 'transition', 'preflight → transferring: All checks passed.', NULL);
            """, ("$device", G(device1)), ("$job", inFlight), ("$then", T(Then)));
        var queued = await InsertJobAsync(sql, device2, package, "queued", active: true, "Queued by admin.", leaseOwner: null);
        return new OldDatabase(finished, inFlight, queued, token1, token2, sha256, device2);
    }

    private static async Task<long> InsertJobAsync(SqliteConnection sql, Guid device, Guid package, string status, bool active, string reason, string? leaseOwner)
    {
        await ExecAsync(sql, """
            INSERT INTO device_jobs (DeviceId, PackageId, Status, ActiveDeviceId, Cause, BlockingCheck, StatusReason, TargetVersion, PreviousVersion, CreatedBy,
                CreatedAt, UpdatedAt, StepStartedAt, NextActionAt, LeaseOwner, LeaseUntil, CancelRequested, ActionServedAt, ActionClosed, PreFlashSnapshot)
            VALUES ($device, $package, $status, $active, NULL, NULL, $reason, '2.0.0', '1.5.0', 'admin',
                $then, $then, $then, $then, $owner, $leaseUntil, 0, NULL, 0, NULL);
            """, ("$device", G(device)), ("$package", G(package)), ("$status", status), ("$active", active ? G(device) : DBNull.Value), ("$reason", reason),
            ("$then", T(Then)), ("$owner", (object?)leaseOwner ?? DBNull.Value), ("$leaseUntil", leaseOwner is null ? DBNull.Value : T(Then.AddSeconds(30))));
        await using var id = sql.CreateCommand();
        id.CommandText = "SELECT last_insert_rowid();";
        return Convert.ToInt64(await id.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task ExecAsync(SqliteConnection sql, string text, params (string Name, object Value)[] parameters)
    {
        await using var command = sql.CreateCommand();
        command.CommandText = text;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A Guid as EF Core's SQLite provider stores it: upper-case text.</summary>
    private static string G(Guid id) => id.ToString().ToUpperInvariant();

    /// <summary>An instant as the SQLite context stores it (sortable integer).</summary>
    private static object T(DateTimeOffset at) => Instant.ConvertToProvider(at)!;
}
