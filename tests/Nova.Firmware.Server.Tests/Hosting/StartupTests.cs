using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Hosting;

public sealed class StartupTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Start_FreshDatabase_MigratesAndServesHealthAndOpenApi(DatabaseProvider provider)
    {
        await using var server = await NovaServer.StartAsync(provider);
        var client = server.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        var openApi = await client.GetStringAsync("/openapi/v1.json");
        Assert.Contains("\"openapi\"", openApi, StringComparison.Ordinal);
        if (provider == DatabaseProvider.Sqlite)
        {
            Assert.True(File.Exists(Path.Combine(server.DataDirectory, "nova-firmware.db")));
        }
    }

    [Fact]
    public async Task Start_SettingsFiles_AreReadOnceNotWatched()
    {
        // A watch on appsettings.json is a recursive watch of the whole content root (see BuilderOptions).
        await using var server = await NovaServer.StartAsync();

        var configuration = (IConfigurationRoot)server.Services.GetRequiredService<IConfiguration>();
        var files = configuration.Providers.OfType<FileConfigurationProvider>().ToList();
        Assert.Contains(files, f => f.Source.Path == "appsettings.json");
        Assert.All(files, f => Assert.False(f.Source.ReloadOnChange, $"{f.Source.Path} is watched for changes"));
    }

    [Fact]
    public async Task Start_PostgresDatabaseThatDoesNotExist_IsCreatedAndMigrated()
    {
        await using var server = NovaServer.StartOnMissingPostgresDatabase();

        Assert.Equal(HttpStatusCode.OK, (await server.CreateClient().GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.CreateAdminClient().GetAsync("/api/v1/packages")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Model_HasNoChangeWithoutAMigration(DatabaseProvider provider)
    {
        await using var server = await NovaServer.StartAsync(provider);
        // A model change without scripts/add-migration.sh would reach databases in the field unmigrated.
        var pending = server.WithScope(s => s.GetRequiredService<FirmwareDbContext>().Database.HasPendingModelChanges());
        Assert.False(pending, $"The {provider} model differs from its latest migration: run scripts/add-migration.sh <Name>.");
    }

    [Fact]
    public async Task Start_SqliteDatabase_UsesWriteAheadLog()
    {
        await using var server = await NovaServer.StartAsync();
        Assert.True(File.Exists(Path.Combine(server.DataDirectory, "nova-firmware.db")));
        await using var conn = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(server.DataDirectory, "nova-firmware.db")}");
        await conn.OpenAsync();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string?)await cmd.ExecuteScalarAsync());
    }
}
