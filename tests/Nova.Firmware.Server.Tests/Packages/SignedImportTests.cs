using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Nova.Firmware.Protocols.Swu;
using Nova.Firmware.Protocols.Tests.Swu;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Packages;

/// <summary>
/// The catalog's signature policy: with a trust file, a bundle signed by a trusted signer is stored as
/// verified and any other signed bundle is refused with nothing stored; without one, signatures are
/// recorded as not checked; RequireSignedBundles refuses unsigned bundles.
/// </summary>
public sealed class SignedImportTests : IDisposable
{
    private readonly X509Certificate2 _signer = TestSigners.SelfSigned();
    private readonly string _trustFile = Path.Combine(Path.GetTempPath(), $"nova-trust-{Guid.NewGuid():N}.pem");

    public SignedImportTests() => File.WriteAllText(_trustFile, TestSigners.Pem(_signer));

    public void Dispose()
    {
        _signer.Dispose();
        File.Delete(_trustFile);
    }

    [Fact]
    public async Task TrustedSigner_IsStoredAsVerified_WithTheSignersSubject()
    {
        await using var server = await NovaServer.StartAsync(settings: Trusting());
        var bundle = PackageUpload.Bundle("2.0.0", CpioFormat.Newc, d => TestSigners.Sign(d, _signer));

        var response = await server.CreateAdminClient().PostAsync("/api/v1/packages", PackageUpload.Swu(bundle).Build());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("verified", body.GetProperty("signatureCheck").GetString());
        Assert.Equal("CN=nova-test-signer", body.GetProperty("signedBy").GetString());
        var stored = await server.CreateAdminClient().GetFromJsonAsync<JsonElement>($"/api/v1/packages/{body.GetProperty("id").GetGuid()}");
        Assert.Equal("verified", stored.GetProperty("signatureCheck").GetString());
    }

    [Fact]
    public async Task UntrustedSigner_Returns422WithTheReason_AndStoresNothing()
    {
        await using var server = await NovaServer.StartAsync(settings: Trusting());
        using var stranger = TestSigners.SelfSigned("stranger");
        var bundle = PackageUpload.Bundle("2.0.0", CpioFormat.Newc, d => TestSigners.Sign(d, stranger));

        var response = await server.CreateAdminClient().PostAsync("/api/v1/packages", PackageUpload.Swu(bundle).Build());

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("Signature refused", problem.GetProperty("title").GetString());
        Assert.Contains("'CN=stranger' is not trusted", problem.GetProperty("reason").GetString());
        await server.AssertNothingStoredAsync();
    }

    [Fact]
    public async Task SignatureOverAnotherDescription_Returns422_AndStoresNothing()
    {
        await using var server = await NovaServer.StartAsync(settings: Trusting());
        // Signed, then sw-description changed: the signature covers other bytes.
        var bundle = PackageUpload.Bundle("2.0.0", CpioFormat.Newc, d => TestSigners.Sign([.. d, (byte)'\n'], _signer));

        var response = await server.CreateAdminClient().PostAsync("/api/v1/packages", PackageUpload.Swu(bundle).Build());

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("does not match sw-description", problem.GetProperty("reason").GetString());
        await server.AssertNothingStoredAsync();
    }

    [Fact]
    public async Task WithoutATrustFile_SignedIsNotChecked_AndUnsignedIsNotSigned()
    {
        await using var server = await NovaServer.StartAsync();
        var client = server.CreateAdminClient();

        var signed = await client.PostAsync("/api/v1/packages",
            PackageUpload.Swu(PackageUpload.Bundle("2.0.0", CpioFormat.Newc, d => TestSigners.Sign(d, _signer))).Build());
        var unsigned = await client.PostAsync("/api/v1/packages", PackageUpload.Swu(PackageUpload.ValidBundle("2.0.1")).Build());
        var raw = await client.PostAsync("/api/v1/packages", new PackageUpload().Build());

        Assert.Equal("not-checked", (await signed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("signatureCheck").GetString());
        Assert.Equal("not-signed", (await unsigned.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("signatureCheck").GetString());
        Assert.Equal("not-signed", (await raw.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("signatureCheck").GetString());
    }

    [Fact]
    public async Task RequireSignedBundles_RefusesAnUnsignedBundle_ButNotARawImage()
    {
        var settings = new Dictionary<string, string>(Trusting()) { ["Nova:Packages:RequireSignedBundles"] = "true" };
        await using var server = await NovaServer.StartAsync(settings: settings);
        var client = server.CreateAdminClient();

        var unsigned = await client.PostAsync("/api/v1/packages", PackageUpload.Swu(PackageUpload.ValidBundle()).Build());

        var problem = await ProblemAssert.IsProblemAsync(unsigned, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("no sw-description.sig", problem.GetProperty("reason").GetString());
        await server.AssertNothingStoredAsync();
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/api/v1/packages", new PackageUpload().Build())).StatusCode);
    }

    [Fact]
    public async Task CodeSigningPurpose_AcceptsACodeSigningSigner()
    {
        using var codeSigner = TestSigners.SelfSigned("code-signer", TestSigners.CodeSigning);
        File.WriteAllText(_trustFile, TestSigners.Pem(codeSigner));
        var settings = new Dictionary<string, string>(Trusting()) { ["Nova:Packages:SignerPurpose"] = "CodeSigning" };
        await using var server = await NovaServer.StartAsync(settings: settings);
        var bundle = PackageUpload.Bundle("2.0.0", CpioFormat.Newc, d => TestSigners.Sign(d, codeSigner));

        var response = await server.CreateAdminClient().PostAsync("/api/v1/packages", PackageUpload.Swu(bundle).Build());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("CN=code-signer", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("signedBy").GetString());
    }

    [Theory]
    [InlineData(false, "true", "RequireSignedBundles needs Nova:Packages:TrustedSignersFile")]
    [InlineData(true, "false", "must be a readable PEM file")]
    public async Task BadSignatureSettings_StopTheStart_WithTheReason(bool emptyTrustFile, string require, string expected)
    {
        var settings = new Dictionary<string, string> { ["Nova:Packages:RequireSignedBundles"] = require };
        if (emptyTrustFile)
        {
            File.WriteAllText(_trustFile, "not a certificate\n");
            settings["Nova:Packages:TrustedSignersFile"] = _trustFile;
        }

        var error = await Assert.ThrowsAnyAsync<Exception>(async () => await (await NovaServer.StartAsync(settings: settings)).DisposeAsync());

        Assert.Contains(expected, error.ToString(), StringComparison.Ordinal);
    }

    private Dictionary<string, string> Trusting() => new() { ["Nova:Packages:TrustedSignersFile"] = _trustFile };
}
