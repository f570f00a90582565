using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Nova.Firmware.Domain.Devices;
using Nova.Firmware.Domain.Drivers;
using Nova.Firmware.Domain.Jobs;
using Nova.Firmware.Domain.Packages;
using Nova.Firmware.Domain.Recovery;
using Nova.Firmware.Domain.Timeline;
using Microsoft.Extensions.Configuration;
using Nova.Firmware.Drivers.Ddi;
using Nova.Firmware.Server.Tests.Infrastructure;
using Nova.Firmware.Engine.Jobs;
using Nova.Firmware.Engine.Options;
using Nova.Firmware.Engine.Recovery;
using Nova.Firmware.Engine.Rollouts;
using Nova.Firmware.Persistence;
using Nova.Firmware.Protocols.Ddi;

namespace Nova.Firmware.Engine.Tests.Infrastructure;

/// <summary>
/// The update engine on a real SQLite file with a fake clock, stepped by hand the way
/// <see cref="DeviceJobLoop"/> does it (claim, step, release; a fresh scope each). The device side
/// is written straight into the database exactly as the DDI endpoints write it: feedback and
/// telemetry rows on the timeline, the inventory and report updated, the job woken.
/// </summary>
internal sealed class EngineHarness : IAsyncDisposable
{
    public const string ReplicaA = "replica-a";
    public const string ReplicaB = "replica-b";

    private readonly ServiceProvider _services;
    private readonly string _directory;

    private readonly string? _postgres;

    private EngineHarness(ServiceProvider services, string directory, string? postgres, FakeTimeProvider time, EngineOptions options, RecoveryOptions recovery, FakePackageBlobs blobs, FakePushDriver push)
    {
        _services = services;
        _directory = directory;
        _postgres = postgres;
        Time = time;
        Options = options;
        Recovery = recovery;
        Blobs = blobs;
        Push = push;
    }

    public FakeTimeProvider Time { get; }
    public EngineOptions Options { get; }
    /// <summary>The recovery ladder's settings: the defaults, with the TFTP server on (<see cref="TftpServer"/>) unless a test says otherwise.</summary>
    public RecoveryOptions Recovery { get; }
    public FakePackageBlobs Blobs { get; }
    /// <summary>The ONVIF-registered push driver the test scripts.</summary>
    public FakePushDriver Push { get; }
    public DateTimeOffset Now => Time.GetUtcNow();

    /// <summary>Where the harness says devices reach the TFTP server (nothing listens: the ladder only names it).</summary>
    public const string TftpServer = "127.0.0.1:6969";

    public static async Task<EngineHarness> StartAsync(Action<EngineOptions>? configure = null, DatabaseProvider database = DatabaseProvider.Sqlite, Action<RecoveryOptions>? recovery = null,
        Action<PowerOptions>? power = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "nova-engine-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        var options = new EngineOptions { ReplicaId = ReplicaA };
        configure?.Invoke(options);
        var recoveryOptions = new RecoveryOptions { TftpServer = TftpServer };
        recovery?.Invoke(recoveryOptions);
        var powerOptions = new PowerOptions();
        power?.Invoke(powerOptions);
        var blobs = new FakePackageBlobs();
        var push = new FakePushDriver(time);
        var services = new ServiceCollection().AddLogging();
        string? postgres = null;
        if (database == DatabaseProvider.Postgres)
        {
            postgres = await TestDatabases.CreatePostgresDatabaseAsync();
            services.AddDbContext<FirmwareDbContext, PostgresFirmwareDbContext>(o => o.UseNpgsql(postgres));
        }
        else
        {
            var file = Path.Combine(directory, "engine.db");
            File.Copy(await MigratedTemplate.Value, file);
            services.AddDbContext<FirmwareDbContext, SqliteFirmwareDbContext>(o => o.UseSqlite(ConnectionString(file)));
        }
        // The engine exactly as the host wires it, with the fake clock, options, blobs and push driver in place of the real ones.
        services.AddUpdateEngine(new ConfigurationBuilder().Build(), runLoops: false)
            .AddSingleton<TimeProvider>(time)
            .AddSingleton(Microsoft.Extensions.Options.Options.Create(options))
            .AddSingleton(Microsoft.Extensions.Options.Options.Create(recoveryOptions))
            .AddSingleton(Microsoft.Extensions.Options.Options.Create(powerOptions))
            .AddSingleton<IPackageBlobs>(blobs)
            .AddDdiDriver()
            .AddSingleton<IDeviceDriver>(push);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        if (postgres is not null)
        {
            await using var scope = provider.CreateAsyncScope();
            await DatabaseMigrator.MigrateAsync(scope.ServiceProvider.GetRequiredService<FirmwareDbContext>(), CancellationToken.None);
        }
        return new EngineHarness(provider, directory, postgres, time, options, recoveryOptions, blobs, push);
    }

    /// <summary>
    /// Migrated once per test run, then copied for each test: migrating is the slow part, and every
    /// test still gets its own database file.
    /// </summary>
    private static readonly Lazy<Task<string>> MigratedTemplate = new(async () =>
    {
        var directory = Path.Combine(Path.GetTempPath(), "nova-engine-tests-template-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, "template.db");
        var options = new DbContextOptionsBuilder<SqliteFirmwareDbContext>().UseSqlite(ConnectionString(file)).Options;
        await using (var db = new SqliteFirmwareDbContext(options))
        {
            await DatabaseMigrator.MigrateAsync(db, CancellationToken.None);
        }
        // Unpooled: closing the last connection folds the WAL back into the file, so a plain copy is complete.
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // Never fail the test run over a temp folder.
            }
        };
        return file;
    });

    private static string ConnectionString(string file) =>
        new SqliteConnectionStringBuilder { DataSource = file, Pooling = false, DefaultTimeout = 30 }.ToString();

    public void Advance(TimeSpan by) => Time.Advance(by);

    /// <summary>Moves the clock to <paramref name="at"/> (never backwards).</summary>
    public void AdvanceTo(DateTimeOffset at)
    {
        if (at < Now)
        {
            throw new InvalidOperationException($"The clock is at {Now:O}; cannot go back to {at:O}.");
        }
        Time.SetUtcNow(at);
    }

    public async Task WithDbAsync(Func<FirmwareDbContext, Task> work)
    {
        await using var scope = _services.CreateAsyncScope();
        await work(scope.ServiceProvider.GetRequiredService<FirmwareDbContext>());
    }

    public async Task<T> WithDbAsync<T>(Func<FirmwareDbContext, Task<T>> work)
    {
        await using var scope = _services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<FirmwareDbContext>());
    }

    public async Task<T> WithAsync<TService, T>(Func<TService, Task<T>> work) where TService : notnull
    {
        await using var scope = _services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public async Task WithAsync<TService>(Func<TService, Task> work) where TService : notnull
    {
        await using var scope = _services.CreateAsyncScope();
        await work(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public async Task<Device> SeedDeviceAsync(Func<DeviceBuilder, DeviceBuilder>? shape = null, bool withNormalReport = true)
    {
        var device = (shape ?? (b => b))(new DeviceBuilder(Now)).Build();
        await WithDbAsync(async db =>
        {
            db.Add(device);
            if (withNormalReport)
            {
                db.Add(new DeviceReport { DeviceId = device.Id, ReportedAt = device.Health.LastSeenAt!.Value, BootMode = "normal", AttributesJson = "{}" });
            }
            await db.SaveChangesAsync();
        });
        return device;
    }

    public async Task<FirmwarePackage> SeedPackageAsync(string version = "2.0.0", Action<FirmwarePackage>? shape = null)
    {
        var package = PackageBuilder.Build(Now, version);
        shape?.Invoke(package);
        await WithDbAsync(async db =>
        {
            db.Add(package);
            await db.SaveChangesAsync();
        });
        return package;
    }

    public Task<CreateJobResult> CreateJobAsync(Guid deviceId, Guid packageId) =>
        WithAsync<DeviceJobService, CreateJobResult>(s => s.CreateAsync(deviceId, packageId, "operator@test", CancellationToken.None));

    /// <summary>Seeds a device and a package, creates the job and steps it to Transferring.</summary>
    public async Task<(Device Device, long JobId)> StartTransferAsync(Func<DeviceBuilder, DeviceBuilder>? shape = null)
    {
        var device = await SeedDeviceAsync(shape);
        var package = await SeedPackageAsync();
        var created = await CreateJobAsync(device.Id, package.Id);
        var jobId = created.Job?.Id ?? throw new InvalidOperationException(created.Message);
        await StepUntilIdleAsync();
        var job = await JobAsync(jobId);
        if (job.Status != DeviceJobStatus.Transferring)
        {
            throw new InvalidOperationException($"Expected the job in Transferring, it is {job.Status}: {job.StatusReason}");
        }
        return (device, jobId);
    }

    public Task<DeviceJob> JobAsync(long jobId) =>
        WithDbAsync(db => db.Set<DeviceJob>().AsNoTracking().SingleAsync(j => j.Id == jobId));

    public Task<List<TimelineEntry>> TimelineAsync(long jobId) =>
        WithDbAsync(db => db.Set<TimelineEntry>().AsNoTracking().Where(t => t.JobId == jobId).OrderBy(t => t.Id).ToListAsync());

    public async Task<List<string>> TransitionsAsync(long jobId) =>
        (await TimelineAsync(jobId)).Where(t => t.Kind == TimelineEntryKind.Transition).Select(t => t.Message).ToList();

    /// <param name="stepping">Jobs whose step the replica is still running, as its loop passes them.</param>
    public Task<IReadOnlyList<long>> ClaimAsync(string owner, IReadOnlyCollection<long>? stepping = null) =>
        WithAsync<DeviceJobStore, IReadOnlyList<long>>(s => s.ClaimDueAsync(owner, Options.LeaseDuration, Options.BatchSize, CancellationToken.None, stepping));

    public Task StepAsync(long jobId, string owner) =>
        WithAsync<DeviceJobStepper>(s => s.StepAsync(jobId, owner, CancellationToken.None));

    public Task ReleaseLeaseAsync(long jobId, string owner) =>
        WithAsync<DeviceJobStore>(s => s.ReleaseLeaseAsync(jobId, owner, CancellationToken.None));

    /// <summary>Steps the job once (claim, step, release) with the given token: for tests that must stop between steps.</summary>
    public async Task StepJobOnceAsync(long jobId, string owner = ReplicaA, CancellationToken cancellationToken = default)
    {
        var claimed = await ClaimAsync(owner);
        if (!claimed.Contains(jobId))
        {
            throw new InvalidOperationException($"Job {jobId} was not due or not free to claim.");
        }
        await WithAsync<DeviceJobStepper>(s => s.StepAsync(jobId, owner, cancellationToken));
        await ReleaseLeaseAsync(jobId, owner);
    }

    /// <summary>What one loop pass does at the current (fake) time, repeated until nothing is due.</summary>
    public async Task<int> StepUntilIdleAsync(string owner = ReplicaA)
    {
        var steps = 0;
        for (var pass = 0; pass < 50; pass++)
        {
            var claimed = await ClaimAsync(owner);
            if (claimed.Count == 0)
            {
                return steps;
            }
            foreach (var id in claimed)
            {
                await StepAsync(id, owner);
                await ReleaseLeaseAsync(id, owner);
                steps++;
            }
        }
        throw new InvalidOperationException("Jobs were still due after 50 passes at one instant: the engine is spinning.");
    }

    /// <summary>The device fetched the deployment (GET deploymentBase), as the DDI handler records it.</summary>
    public Task ServeActionAsync(long jobId) => WithDbAsync(async db =>
    {
        var now = Now;
        var job = await db.Set<DeviceJob>().SingleAsync(j => j.Id == jobId);
        job.ActionServedAt ??= now;
        db.Add(new TimelineEntry { DeviceId = job.DeviceId, JobId = jobId, At = now, Kind = TimelineEntryKind.Command, Message = $"The device fetched action {jobId}." });
        await db.SaveChangesAsync();
    });

    /// <summary>A DDI feedback post (or cancel feedback) as the DDI handler records it.</summary>
    public Task FeedbackAsync(long jobId, string execution, string finished, params string[] details) => FeedbackAsync(jobId, execution, finished, cancel: false, details);

    public Task FeedbackAsync(long jobId, string execution, string finished, bool cancel, params string[] details) => WithDbAsync(async db =>
    {
        var now = Now;
        var job = await db.Set<DeviceJob>().AsNoTracking().SingleAsync(j => j.Id == jobId);
        var feedback = new DdiFeedbackObservation(jobId, execution, finished, null, null, details, cancel, null);
        db.Add(new TimelineEntry { DeviceId = job.DeviceId, JobId = jobId, At = now, Kind = TimelineEntryKind.Feedback, Message = feedback.Summary(), Data = JsonSerializer.Serialize(feedback) });
        await db.SaveChangesAsync();
        var closing = execution is DdiValues.Execution.Closed or DdiValues.Execution.Canceled or DdiValues.Execution.Rejected;
        await db.Set<DeviceJob>().Where(j => j.Id == jobId)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.NextActionAt, now).SetProperty(j => j.ActionClosed, j => j.ActionClosed || closing));
    });

    /// <summary>A DDI configData report merged the way every report is (DeviceReadingMerger): inventory, report, timeline, wake-up.</summary>
    public Task ReportAsync(Guid deviceId, string? version = null, string? inactiveVersion = null, string? bootMode = "normal", string? led = null, string? resetReason = null) =>
        WithDbAsync(async db =>
        {
            var now = Now;
            var device = await db.Set<Device>().SingleAsync(d => d.Id == deviceId);
            var report = await db.Set<DeviceReport>().SingleOrDefaultAsync(r => r.DeviceId == deviceId);
            if (report is null)
            {
                report = new DeviceReport { DeviceId = deviceId };
                db.Add(report);
            }
            var powerEvent = DeviceReadingMerger.Apply(device, report, new DeviceReading(now, Fresh: true)
            {
                FirmwareVersion = version,
                InactiveFirmwareVersion = inactiveVersion,
                BootMode = bootMode,
                Led = led,
                ResetReason = resetReason,
            }, now);
            var job = await db.Set<DeviceJob>().Where(j => j.ActiveDeviceId == deviceId).Select(j => (long?)j.Id).SingleOrDefaultAsync();
            db.Add(new TimelineEntry { DeviceId = deviceId, JobId = job, At = now, Kind = TimelineEntryKind.Telemetry, Message = $"Reported version {device.Firmware.ActiveVersion ?? "?"}" });
            if (powerEvent)
            {
                db.Add(new TimelineEntry { DeviceId = deviceId, JobId = job, At = now, Kind = TimelineEntryKind.Power, Message = $"The device came back with reset reason '{resetReason}'." });
            }
            await db.SaveChangesAsync();
            if (job is { } jobId)
            {
                await db.Set<DeviceJob>().Where(j => j.Id == jobId).ExecuteUpdateAsync(s => s.SetProperty(j => j.NextActionAt, now));
            }
        });

    /// <summary>A bare poll: the device is seen (last-seen flushed) and reports nothing.</summary>
    public Task PollAsync(Guid deviceId) => WithDbAsync(async db =>
    {
        var now = Now;
        await db.Set<Device>().Where(d => d.Id == deviceId).ExecuteUpdateAsync(s => s.SetProperty(d => d.Health.LastSeenAt, now));
    });

    /// <summary>Sets the device's free space directly (as a configData report of freeBytes would); null: never measured.</summary>
    public Task SetFreeBytesAsync(Guid deviceId, long? free) => WithDbAsync(async db =>
    {
        var now = Now;
        await db.Set<Device>().Where(d => d.Id == deviceId).ExecuteUpdateAsync(s => s.SetProperty(d => d.Storage.FreeBytes, free).SetProperty(d => d.Health.LastSeenAt, now));
        await db.Set<DeviceJob>().Where(j => j.ActiveDeviceId == deviceId).ExecuteUpdateAsync(s => s.SetProperty(j => j.NextActionAt, now));
    });

    // ---- Recovery runs: stepped by hand the way RecoveryLoop passes them (claim, step, release; a fresh scope each). ----

    public Task<IReadOnlyList<long>> ClaimRecoveryAsync(string owner = ReplicaA) =>
        WithAsync<RecoveryStore, IReadOnlyList<long>>(s => s.ClaimDueAsync(owner, Recovery.LeaseDuration, Recovery.BatchSize, CancellationToken.None));

    /// <summary>Steps a run this owner has claimed, without releasing the lease (as a step cut off by a crash would leave it).</summary>
    public Task StepRecoveryAsync(long runId, string owner = ReplicaA, CancellationToken cancellationToken = default) =>
        WithAsync<RecoveryStepper>(s => s.StepAsync(runId, owner, cancellationToken));

    public Task ReleaseRecoveryLeaseAsync(long runId, string owner = ReplicaA) =>
        WithAsync<RecoveryStore>(s => s.ReleaseLeaseAsync(runId, owner, CancellationToken.None));

    /// <summary>Steps the run once (claim, step, release): for tests that look between two rungs.</summary>
    public async Task StepRecoveryOnceAsync(long runId, string owner = ReplicaA, CancellationToken cancellationToken = default)
    {
        var claimed = await ClaimRecoveryAsync(owner);
        if (!claimed.Contains(runId))
        {
            throw new InvalidOperationException($"Recovery run {runId} was not due or not free to claim.");
        }
        await StepRecoveryAsync(runId, owner, cancellationToken);
        await ReleaseRecoveryLeaseAsync(runId, owner);
    }

    /// <summary>What recovery loop passes do at the current (fake) time, repeated until no run is due.</summary>
    public async Task<int> StepRecoveryUntilIdleAsync(string owner = ReplicaA)
    {
        var steps = 0;
        for (var pass = 0; pass < 50; pass++)
        {
            var claimed = await ClaimRecoveryAsync(owner);
            if (claimed.Count == 0)
            {
                return steps;
            }
            foreach (var id in claimed)
            {
                await StepRecoveryAsync(id, owner);
                await ReleaseRecoveryLeaseAsync(id, owner);
                steps++;
            }
        }
        throw new InvalidOperationException("Recovery runs were still due after 50 passes at one instant: the ladder is spinning.");
    }

    /// <summary>Both loops at the current (fake) time, until neither has anything due: a failed job's run, the run's retry job, its end waking the run.</summary>
    public async Task SettleAsync(string owner = ReplicaA)
    {
        for (var round = 0; round < 20; round++)
        {
            var steps = await StepUntilIdleAsync(owner) + await StepRecoveryUntilIdleAsync(owner);
            if (steps == 0)
            {
                return;
            }
        }
        throw new InvalidOperationException("Jobs and recovery runs kept waking each other at one instant.");
    }

    public Task<RecoveryRun> RunAsync(long runId) =>
        WithDbAsync(db => db.Set<RecoveryRun>().AsNoTracking().SingleAsync(r => r.Id == runId));

    /// <summary>The run the failure of <paramref name="failedJobId"/> started.</summary>
    public Task<RecoveryRun> RunForJobAsync(long failedJobId) =>
        WithDbAsync(db => db.Set<RecoveryRun>().AsNoTracking().SingleAsync(r => r.FailedJobId == failedJobId));

    public Task<List<RecoveryRun>> RunsAsync(Guid deviceId) =>
        WithDbAsync(db => db.Set<RecoveryRun>().AsNoTracking().Where(r => r.DeviceId == deviceId).OrderBy(r => r.Id).ToListAsync());

    public Task<List<TechnicianTask>> TasksAsync(long runId) =>
        WithDbAsync(db => db.Set<TechnicianTask>().AsNoTracking().Where(t => t.RunId == runId).OrderBy(t => t.Id).ToListAsync());

    public Task<List<DeviceCommand>> CommandsAsync(long jobId) =>
        WithDbAsync(db => db.Set<DeviceCommand>().AsNoTracking().Where(c => c.JobId == jobId).OrderBy(c => c.Id).ToListAsync());

    public Task<Device> DeviceAsync(Guid deviceId) =>
        WithDbAsync(db => db.Set<Device>().AsNoTracking().SingleAsync(d => d.Id == deviceId));

    public Task<FirmwarePackage> PackageAsync(Guid packageId) =>
        WithDbAsync(db => db.Set<FirmwarePackage>().AsNoTracking().SingleAsync(p => p.Id == packageId));

    /// <summary>The run's rung changes as the timeline has them ("recovery diagnosing → cleaning-up: ..."), oldest first.</summary>
    public async Task<List<string>> RungChangesAsync(RecoveryRun run) =>
        await WithDbAsync(db => db.Set<TimelineEntry>().AsNoTracking()
            .Where(t => t.DeviceId == run.DeviceId && t.Kind == TimelineEntryKind.Recovery && t.Message.StartsWith("recovery "))
            .OrderBy(t => t.Id).Select(t => t.Message).ToListAsync());

    /// <summary>
    /// A pull (DDI) device that took the action and then reported failure with <paramref name="details"/>:
    /// the job is failed, and its recovery run created, not yet stepped.
    /// </summary>
    public async Task<(Device Device, DeviceJob Job, RecoveryRun Run)> FailJobAsync(Func<DeviceBuilder, DeviceBuilder>? shape = null, params string[] details)
    {
        var (device, jobId) = await StartTransferAsync(shape);
        Advance(TimeSpan.FromSeconds(5));
        await ServeActionAsync(jobId);
        await FeedbackAsync(jobId, DdiValues.Execution.Closed, DdiValues.Finished.Failure, details);
        await StepUntilIdleAsync();
        var job = await JobAsync(jobId);
        if (job.Status != DeviceJobStatus.Failed)
        {
            throw new InvalidOperationException($"Expected the job failed, it is {job.Status}: {job.StatusReason}");
        }
        return (device, job, await RunForJobAsync(jobId));
    }

    /// <summary>
    /// The same on a push (ONVIF, the fake driver) device: its upload is answered with the device's
    /// failure words, as a driver records them; later transfers are accepted again.
    /// </summary>
    public async Task<(Device Device, DeviceJob Job, RecoveryRun Run)> FailPushJobAsync(Func<DeviceBuilder, DeviceBuilder>? shape = null, params string[] details)
    {
        var device = await SeedDeviceAsync(d => (shape ?? (b => b))(d.Protocol(DeviceProtocol.Onvif)));
        var package = await SeedPackageAsync();
        var accepting = Push.Transfer;
        Push.Transfer = async (context, ct) =>
        {
            foreach (var detail in details)
            {
                await context.ObserveAsync(TimelineEntryKind.Feedback, detail, nameof(JobSignalKind.ReportedFailure), ct);
            }
            return DriverResult.Done();
        };
        try
        {
            var jobId = (await CreateJobAsync(device.Id, package.Id)).Job?.Id ?? throw new InvalidOperationException("The job was refused.");
            await StepUntilIdleAsync();
            var job = await JobAsync(jobId);
            if (job.Status != DeviceJobStatus.Failed)
            {
                throw new InvalidOperationException($"Expected the job failed, it is {job.Status}: {job.StatusReason}");
            }
            return (device, job, await RunForJobAsync(jobId));
        }
        finally
        {
            Push.Transfer = accepting;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (_postgres is not null)
        {
            await TestDatabases.DropPostgresDatabaseAsync(_postgres);
        }
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow runner: the temp folder is cleaned by the OS.
        }
    }
}
