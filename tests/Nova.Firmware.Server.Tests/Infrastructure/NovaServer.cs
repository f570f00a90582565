using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Nova.Firmware.Persistence;

namespace Nova.Firmware.Server.Tests.Infrastructure;

/// <summary>
/// One server under test with its own data directory and database (SQLite file or a fresh
/// PostgreSQL database), so each test owns its data. Dispose removes both.
/// </summary>
public sealed class NovaServer : WebApplicationFactory<Program>
{
    public const string AdminPassword = "admin-test-password";

    private readonly DatabaseProvider _provider;
    private readonly string? _postgresConnection;
    private readonly Action<IServiceCollection>? _configureServices;
    private readonly IReadOnlyDictionary<string, string>? _settings;

    public string DataDirectory { get; }

    /// <summary>The PostgreSQL database this server uses; null on SQLite.</summary>
    public string? PostgresConnection => _sharedConnection ?? _postgresConnection;

    /// <summary>A replica uses another server's database: it neither sets it up nor drops it.</summary>
    private readonly string? _sharedConnection;

    private NovaServer(DatabaseProvider provider, string? postgresConnection, Action<IServiceCollection>? configureServices, IReadOnlyDictionary<string, string>? settings,
        string? sharedConnection = null, string? dataDirectory = null)
    {
        _settings = settings;
        _provider = provider;
        _postgresConnection = postgresConnection;
        _configureServices = configureServices;
        _sharedConnection = sharedConnection;
        DataDirectory = dataDirectory ?? Path.Combine(Path.GetTempPath(), "nova-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataDirectory);
    }

    /// <summary>Fast engine settings for tests: steps re-checked every 100 ms instead of seconds.</summary>
    public static readonly IReadOnlyDictionary<string, string> FastEngine = new Dictionary<string, string>
    {
        ["Nova:Engine:TickInterval"] = "00:00:00.100",
        ["Nova:Engine:RecheckInterval"] = "00:00:00.100",
        ["Nova:Ddi:LastSeenFlushInterval"] = "00:00:00.200",
        ["Nova:Ddi:ActionCacheTime"] = "00:00:00",
        ["Nova:Ddi:PollSleep"] = "00:00:01",
        ["Nova:Ddi:ActivePollSleep"] = "00:00:01",
    };

    public static async Task<NovaServer> StartAsync(DatabaseProvider provider = DatabaseProvider.Sqlite, Action<IServiceCollection>? configureServices = null,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        var pg = provider == DatabaseProvider.Postgres ? await TestDatabases.CreatePostgresDatabaseAsync() : null;
        var server = new NovaServer(provider, pg, configureServices, settings);
        _ = server.Server; // start now, so migration errors surface here
        return server;
    }

    /// <summary>
    /// A SQLite server on a data directory prepared beforehand (a restored backup, a database an
    /// older build left): it migrates what it finds. Dispose removes the directory.
    /// </summary>
    public static NovaServer StartOnDataDirectory(string dataDirectory, IReadOnlyDictionary<string, string>? settings = null)
    {
        var server = new NovaServer(DatabaseProvider.Sqlite, null, null, settings, dataDirectory: dataDirectory);
        _ = server.Server;
        return server;
    }

    /// <summary>A fresh, empty data directory for a server that <see cref="StartOnDataDirectory"/> starts later.</summary>
    public static string NewDataDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "nova-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>A server on PostgreSQL whose database does not exist yet: the server must create it.</summary>
    public static NovaServer StartOnMissingPostgresDatabase()
    {
        var server = new NovaServer(DatabaseProvider.Postgres, TestDatabases.MissingPostgresDatabase(), null, null);
        _ = server.Server;
        return server;
    }

    /// <summary>
    /// A replica of this server: same database, its own data directory (so its own key ring unless
    /// <paramref name="settings"/> name a shared one). Dispose it before this server.
    /// </summary>
    public NovaServer StartReplica(IReadOnlyDictionary<string, string>? settings = null)
    {
        var connection = _postgresConnection ?? PersistenceServiceCollectionExtensions.SqliteConnectionString(DataDirectory);
        var replica = new NovaServer(_provider, null, null, settings, sharedConnection: connection);
        _ = replica.Server;
        return replica;
    }

    /// <summary>
    /// The same server on real Kestrel, listening on 127.0.0.1 on a free port (see <see cref="BaseAddress"/>),
    /// for tests that need real sockets: cut-short uploads, request size limits.
    /// </summary>
    public static async Task<NovaServer> StartKestrelAsync(DatabaseProvider provider = DatabaseProvider.Sqlite, Action<IServiceCollection>? configureServices = null,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        var pg = provider == DatabaseProvider.Postgres ? await TestDatabases.CreatePostgresDatabaseAsync() : null;
        var server = new NovaServer(provider, pg, configureServices, settings);
        server.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
        server.StartServer();
        return server;
    }

    /// <summary>Where a Kestrel-hosted server listens.</summary>
    public Uri BaseAddress => new(Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
        .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First());

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Nova:DataDirectory", DataDirectory);
        builder.UseSetting("Nova:AdminPassword", AdminPassword);
        builder.UseSetting("Nova:Database:Provider", _provider.ToString());
        if ((_sharedConnection ?? _postgresConnection) is { } connection)
        {
            builder.UseSetting("Nova:Database:ConnectionString", connection);
        }
        foreach (var (key, value) in _settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }
        if (_configureServices is not null)
        {
            builder.ConfigureServices(_configureServices);
        }
    }

    /// <summary>A client signed in as the first admin (HTTP Basic).</summary>
    public HttpClient CreateAdminClient() => CreateBasicClient("admin", AdminPassword);

    public HttpClient CreateBasicClient(string user, string password)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return client;
    }

    public HttpClient CreateApiKeyClient(string apiKey)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    public T WithScope<T>(Func<IServiceProvider, T> use)
    {
        using var scope = Services.CreateScope();
        return use(scope.ServiceProvider);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_postgresConnection is not null)
        {
            await TestDatabases.DropPostgresDatabaseAsync(_postgresConnection);
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // a file still held open by a finishing request; the temp folder is cleaned by the OS
        }
    }
}
