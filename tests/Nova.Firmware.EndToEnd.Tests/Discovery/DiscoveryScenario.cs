using Nova.Firmware.EndToEnd.Tests.Swupdate;

namespace Nova.Firmware.EndToEnd.Tests.Discovery;

/// <summary>One test's world: temp folder, signer, a bundle, the throwaway DDI server and a real SWUpdate.</summary>
public sealed class DiscoveryScenario : IAsyncDisposable
{
    public const string Token = "tok-dev-001";
    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(60);

    private DiscoveryScenario(TestDirectory directory, TestSigningKeys keys)
    {
        Directory = directory;
        Keys = keys;
    }

    public TestDirectory Directory { get; }

    public TestSigningKeys Keys { get; }

    /// <summary>Where the rawfile handler writes the image.</summary>
    public string TargetPath => Directory.File("target/rootfs.img");

    public DiscoveryDdiServer Server { get; private set; } = null!;

    public SwupdateProcess Swupdate { get; private set; } = null!;

    public static async Task<DiscoveryScenario> CreateAsync()
    {
        var directory = TestDirectory.Create("nova-swu");
        directory.Sub("target");
        var keys = await TestSigningKeys.CreateAsync(directory.Sub("keys"));
        return new DiscoveryScenario(directory, keys);
    }

    public SwuBundleBuilder Bundle() => new(Keys, Directory.Sub("bundles"));

    public async Task StartAsync(DiscoveryDdiOptions serverOptions, Func<SwupdateOptions, SwupdateOptions>? tweak = null)
    {
        Server = await DiscoveryDdiServer.StartAsync(serverOptions);
        var options = new SwupdateOptions
        {
            BaseUrl = Server.BaseUrl,
            ControllerId = serverOptions.ControllerId,
            CertificatePath = Keys.CertificatePath,
            WorkDirectory = Directory.Sub("swupdate"),
            TargetToken = Token,
        };
        Swupdate = SwupdateProcess.Start(tweak is null ? options : tweak(options));
    }

    /// <summary>Waits for feedback with the given execution and finished values; the message carries SWUpdate's output on timeout.</summary>
    public async Task<RecordedRequest> WaitForFeedbackAsync(string execution, string finished)
    {
        try
        {
            return await Server.WaitForRequestAsync(r => r.IsFeedbackWith(execution, finished), StepTimeout, $"feedback {execution}/{finished}");
        }
        catch (TimeoutException e)
        {
            var output = string.Join('\n', Swupdate.Output.Snapshot().TakeLast(60));
            throw new TimeoutException($"{e.Message}\n--- swupdate ({Swupdate.CommandLine}) ---\n{output}", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Swupdate is not null)
        {
            await Swupdate.DisposeAsync();
        }

        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        Directory.Dispose();
    }
}
