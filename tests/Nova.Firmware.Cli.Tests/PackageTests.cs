using System.Security.Cryptography;
using System.Text.Json;
using Nova.Firmware.Cli.Tests.Infrastructure;
using Nova.Firmware.EndToEnd.Tests.Swupdate;

namespace Nova.Firmware.Cli.Tests;

/// <summary><c>packages build</c> against the real swupdate client, and build → import → show → download against the server.</summary>
public sealed class PackageTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("novafw-packages-").FullName;

    [Fact]
    public async Task Build_Signed_IsAcceptedBySwupdateCheck_ForItsRevisionOnly()
    {
        var keys = await TestSigningKeys.CreateAsync(Path.Combine(_directory, "keys"));
        var image = Image("rootfs.img", 100_000);
        using var cli = new CliRunner();

        var built = await cli.RunAsync("packages", "build", image, "--version", "2.1.0", "--revision", "1.0", "--revision", "2.0", "--model", "GW-100",
            "--key", keys.KeyPath, "--cert", keys.CertificatePath, "--output", Path.Combine(_directory, "gw.swu"));
        var accepted = await SwupdateExecutable.CheckBundleAsync(Path.Combine(_directory, "gw.swu"), keys.CertificatePath, "2.0", Path.Combine(_directory, "tmp"));
        var otherRevision = await SwupdateExecutable.CheckBundleAsync(Path.Combine(_directory, "gw.swu"), keys.CertificatePath, "3.0", Path.Combine(_directory, "tmp"));

        Assert.True(built.ExitCode == 0, built.ToString());
        Assert.True(accepted.Accepted, accepted.Output);
        Assert.False(otherRevision.Accepted, otherRevision.Output);
    }

    [Fact]
    public async Task Build_Signed_ImportedByAServerThatTrustsTheSigner_IsVerified()
    {
        var keys = await TestSigningKeys.CreateAsync(Path.Combine(_directory, "keys"));
        var (server, cli) = await CliServer.StartAsync(role: "operator", settings: new Dictionary<string, string>
        {
            ["Nova:Packages:TrustedSignersFile"] = keys.CertificatePath,
            ["Nova:Packages:RequireSignedBundles"] = "true",
        });
        await using var _ = server;
        using var __ = cli;
        var signed = Path.Combine(_directory, "signed.swu");
        var unsigned = Path.Combine(_directory, "unsigned.swu");
        await cli.RunAsync("packages", "build", Image("a.img", 2000), "--version", "3.0.0", "--revision", "1.0", "--key", keys.KeyPath, "--cert", keys.CertificatePath, "-o", signed);
        await cli.RunAsync("packages", "build", Image("b.img", 2000), "--version", "3.0.1", "--revision", "1.0", "-o", unsigned);

        var accepted = await cli.RunAsync("packages", "import", signed, "--vendor", "Acme", "--model", "GW-100", "--soc", "aarch64", "--json");
        var refused = await cli.RunAsync("packages", "import", unsigned, "--vendor", "Acme", "--model", "GW-100", "--soc", "aarch64");

        Assert.True(accepted.ExitCode == 0, accepted.ToString());
        Assert.Equal("verified", JsonDocument.Parse(accepted.Output).RootElement.GetProperty("signatureCheck").GetString());
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("Signature refused", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_KeyWithoutCertificate_ExitsTwo_AndWritesNothing()
    {
        using var cli = new CliRunner();

        var result = await cli.RunAsync("packages", "build", Image("fw.img", 10), "--version", "1.0", "--revision", "1.0", "--key", Image("k.pem", 10),
            "--output", Path.Combine(_directory, "out.swu"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--key and --cert", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory, "out.swu")));
    }

    [Fact]
    public async Task Build_QuoteInVersion_ExitsTwo_NamingTheField_AndWritesNothing()
    {
        using var cli = new CliRunner();

        var result = await cli.RunAsync("packages", "build", Image("fw.img", 10), "--version", "2.0\"; evil = \"1", "--revision", "1.0",
            "--output", Path.Combine(_directory, "out.swu"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("version:", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory, "out.swu")));
    }

    [Fact]
    public async Task BuildImportShowDownload_RoundTrip()
    {
        var (server, cli) = await CliServer.StartAsync(role: "operator");
        await using var _ = server;
        using var __ = cli;
        var swu = Path.Combine(_directory, "gw-2.0.0.swu");
        var built = await cli.RunAsync("packages", "build", Image("gw.img", 50_000), "--version", "2.0.0", "--revision", "1.0", "--output", swu);
        Assert.True(built.ExitCode == 0, built.ToString());

        var imported = await cli.RunAsync("packages", "import", swu, "--vendor", "Acme", "--model", "GW-100", "--soc", "aarch64", "--json");

        Assert.True(imported.ExitCode == 0, imported.ToString());
        var package = JsonDocument.Parse(imported.Output).RootElement;
        Assert.Equal("swu", package.GetProperty("format").GetString());
        Assert.Equal("2.0.0", package.GetProperty("version").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(swu))), package.GetProperty("sha256").GetString());
        var id = package.GetProperty("id").GetString()!;

        var shown = await cli.RunAsync("packages", "show", id);
        Assert.Equal(0, shown.ExitCode);
        Assert.Contains("2.0.0", shown.Output, StringComparison.Ordinal);

        var downloaded = Path.Combine(_directory, "copy.swu");
        var download = await cli.RunAsync("packages", "download", id, "--output", downloaded);
        Assert.True(download.ExitCode == 0, download.ToString());
        Assert.Equal(await File.ReadAllBytesAsync(swu), await File.ReadAllBytesAsync(downloaded));
    }

    [Fact]
    public async Task Import_WrongPublishedHash_ExitsTwo_AndStoresNothing()
    {
        var (server, cli) = await CliServer.StartAsync(role: "operator");
        await using var _ = server;
        using var __ = cli;

        var result = await cli.RunAsync("packages", "import", Image("raw.img", 1000), "--vendor", "Acme", "--model", "GW-100", "--soc", "aarch64",
            "--version", "2.0.0", "--revision", "1.0", "--sha256", new string('a', 64));
        var list = await cli.RunAsync("packages", "list", "--json");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Checksum does not match", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, JsonDocument.Parse(list.Output).RootElement.GetProperty("total").GetInt32());
    }

    private string Image(string name, int bytes)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, RandomNumberGenerator.GetBytes(bytes));
        return path;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
