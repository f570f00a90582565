using System.Security.Cryptography.X509Certificates;
using System.Text;
using Nova.Firmware.Protocols.Swu;

namespace Nova.Firmware.Protocols.Tests.Swu;

public sealed class SwuSignatureVerifierTests
{
    private static readonly byte[] Description = Encoding.UTF8.GetBytes("software = { version = \"2.0.0\"; hardware-compatibility = [ \"1.0\" ]; };\n");
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Fact]
    public void SelfSignedSignerInTheTrustFile_IsVerified_AndNamed()
    {
        using var signer = TestSigners.SelfSigned();
        var verdict = new SwuSignatureVerifier(TestSigners.Trust(signer)).Verify(Description, TestSigners.Sign(Description, signer), Now);

        Assert.True(verdict.Valid, verdict.Problem);
        Assert.Equal("CN=nova-test-signer", verdict.SignedBy);
    }

    [Fact]
    public void SelfSignedSignerMarkedAsAuthorityWithoutKeyCertSign_IsVerified_AsOpenSslsReqMakesIt()
    {
        using var signer = TestSigners.SelfSigned(markedAsAuthority: true);
        var verdict = new SwuSignatureVerifier(TestSigners.Trust(signer)).Verify(Description, TestSigners.Sign(Description, signer), Now);
        Assert.True(verdict.Valid, verdict.Problem);
    }

    [Fact]
    public void ChangedDescription_IsRefused()
    {
        using var signer = TestSigners.SelfSigned();
        var signature = TestSigners.Sign(Description, signer);
        var changed = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Description).Replace("2.0.0", "2.0.1"));

        var verdict = new SwuSignatureVerifier(TestSigners.Trust(signer)).Verify(changed, signature, Now);

        Assert.False(verdict.Valid);
        Assert.Contains("does not match sw-description", verdict.Problem);
    }

    [Fact]
    public void SignerOutsideTheTrustFile_IsRefused()
    {
        using var trusted = TestSigners.SelfSigned("trusted");
        using var other = TestSigners.SelfSigned("someone-else");

        var verdict = new SwuSignatureVerifier(TestSigners.Trust(trusted)).Verify(Description, TestSigners.Sign(Description, other), Now);

        Assert.False(verdict.Valid);
        Assert.Contains("'CN=someone-else' is not trusted", verdict.Problem);
        Assert.Contains("does not chain to a root in the trust file", verdict.Problem);
    }

    [Fact]
    public void CodeSigningOnlySigner_IsRefusedForTheDefaultPurpose_AndAcceptedForCodeSigning()
    {
        using var signer = TestSigners.SelfSigned(extendedKeyUsage: TestSigners.CodeSigning);
        var signature = TestSigners.Sign(Description, signer);

        var byDefault = new SwuSignatureVerifier(TestSigners.Trust(signer)).Verify(Description, signature, Now);
        var codeSigning = new SwuSignatureVerifier(TestSigners.Trust(signer), SignerPurpose.CodeSigning).Verify(Description, signature, Now);

        Assert.False(byDefault.Valid);
        Assert.Contains("is not for emailProtection", byDefault.Problem);
        Assert.True(codeSigning.Valid, codeSigning.Problem);
    }

    [Fact]
    public void CodeSigningPurpose_RequiresTheExtendedKeyUsage_ButNotADigitalSignatureKeyUsage()
    {
        using var noExtendedUsage = TestSigners.SelfSigned("plain", extendedKeyUsage: null);
        using var encipherOnly = TestSigners.SelfSigned("encipher", TestSigners.CodeSigning, X509KeyUsageFlags.KeyEncipherment);
        var verifier = new SwuSignatureVerifier(TestSigners.Trust(noExtendedUsage, encipherOnly), SignerPurpose.CodeSigning);

        var plain = verifier.Verify(Description, TestSigners.Sign(Description, noExtendedUsage), Now);
        var encipher = verifier.Verify(Description, TestSigners.Sign(Description, encipherOnly), Now);

        Assert.False(plain.Valid);
        Assert.Contains("extendedKeyUsage is absent", plain.Problem);
        Assert.True(encipher.Valid, encipher.Problem);
    }

    [Fact]
    public void SignerWithoutExtendedKeyUsage_IsAcceptedForEmailProtection_AsOpenSslsPurposeCheckDoes()
    {
        using var signer = TestSigners.SelfSigned(extendedKeyUsage: null);
        var verdict = new SwuSignatureVerifier(TestSigners.Trust(signer)).Verify(Description, TestSigners.Sign(Description, signer), Now);
        Assert.True(verdict.Valid, verdict.Problem);
    }

    [Fact]
    public void KeyUsageWithoutDigitalSignature_IsRefused()
    {
        using var signer = TestSigners.SelfSigned(keyUsage: X509KeyUsageFlags.KeyEncipherment);
        var verdict = new SwuSignatureVerifier(TestSigners.Trust(signer)).Verify(Description, TestSigners.Sign(Description, signer), Now);

        Assert.False(verdict.Valid);
        Assert.Contains("may not sign", verdict.Problem);
    }

    [Fact]
    public void ExpiredSigner_IsRefused_WithTheTime()
    {
        using var signer = TestSigners.SelfSigned(notBefore: Now.AddYears(-2), notAfter: Now.AddDays(-1));
        var verdict = new SwuSignatureVerifier(TestSigners.Trust(signer)).Verify(Description, TestSigners.Sign(Description, signer), Now);

        Assert.False(verdict.Valid);
        Assert.Contains("is not valid at", verdict.Problem);
    }

    [Fact]
    public void SignerIssuedByATrustedAuthority_IsVerified()
    {
        using var authority = TestSigners.Authority();
        using var signer = TestSigners.IssuedBy(authority);
        var verdict = new SwuSignatureVerifier(TestSigners.Trust(authority)).Verify(Description, TestSigners.Sign(Description, signer), Now);

        Assert.True(verdict.Valid, verdict.Problem);
        Assert.Equal("CN=nova-issued-signer", verdict.SignedBy);
    }

    [Fact]
    public void SignatureWithoutEmbeddedCertificate_IsRefused_AsSwupdateLooksOnlyThere()
    {
        using var signer = TestSigners.SelfSigned();
        var signature = TestSigners.Sign(Description, signer, X509IncludeOption.None);

        var verdict = new SwuSignatureVerifier(TestSigners.Trust(signer)).Verify(Description, signature, Now);

        Assert.False(verdict.Valid);
        Assert.Contains("certificate is not in sw-description.sig", verdict.Problem);
    }

    [Fact]
    public void IssuedSignerListedWithoutItsRoot_IsRefused_NoPartialChains()
    {
        using var authority = TestSigners.Authority();
        using var signer = TestSigners.IssuedBy(authority);

        var verdict = new SwuSignatureVerifier(TestSigners.Trust(signer)).Verify(Description, TestSigners.Sign(Description, signer), Now);

        Assert.False(verdict.Valid);
        Assert.Contains("does not chain to a root in the trust file", verdict.Problem);
    }

    [Fact]
    public void AuthorityWhoseExtendedKeyUsageExcludesThePurpose_IsRefused()
    {
        using var authority = TestSigners.Authority("server-ca", extendedKeyUsage: "1.3.6.1.5.5.7.3.1");
        using var signer = TestSigners.IssuedBy(authority);

        var verdict = new SwuSignatureVerifier(TestSigners.Trust(authority)).Verify(Description, TestSigners.Sign(Description, signer), Now);

        Assert.False(verdict.Valid);
        Assert.Contains("not trusted", verdict.Problem);
    }

    [Fact]
    public void TwoSigners_OneTrusted_IsVerifiedAndNamesTheTrustedOne()
    {
        using var stranger = TestSigners.SelfSigned("stranger");
        using var trusted = TestSigners.SelfSigned("trusted");
        var signature = TestSigners.SignBy(Description, X509IncludeOption.EndCertOnly, stranger, trusted);

        var verdict = new SwuSignatureVerifier(TestSigners.Trust(trusted)).Verify(Description, signature, Now);

        Assert.True(verdict.Valid, verdict.Problem);
        Assert.Equal("CN=trusted", verdict.SignedBy);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x30, 0x82, 0x01 })]
    [InlineData(new byte[] { (byte)'n', (byte)'o', (byte)'t', (byte)' ', (byte)'c', (byte)'m', (byte)'s' })]
    public void Garbage_IsRefused_AsNotCms(byte[] signature)
    {
        using var signer = TestSigners.SelfSigned();
        var verdict = new SwuSignatureVerifier(TestSigners.Trust(signer)).Verify(Description, signature, Now);

        Assert.False(verdict.Valid);
        Assert.Contains("not a DER-encoded CMS signature", verdict.Problem);
    }

    [Fact]
    public void TrustFile_ReadsEveryCertificate_AndRefusesAFileWithNone()
    {
        using var one = TestSigners.SelfSigned("one");
        using var two = TestSigners.SelfSigned("two");
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, TestSigners.Pem(one, two));
            Assert.Equal(2, SwuSignatureVerifier.LoadTrustFile(path).Count);
            File.WriteAllText(path, "no certificate here\n");
            Assert.Throws<InvalidDataException>(() => SwuSignatureVerifier.LoadTrustFile(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
