using System.Security.Cryptography.X509Certificates;
using Nova.Firmware.Protocols.Swu;
using Nova.Firmware.Protocols.Tests.Swu;

namespace Nova.Firmware.EndToEnd.Tests.Swupdate;

/// <summary>
/// The catalog's signature check and Debian's SWUpdate (<c>swupdate -c -i</c>, the device's own
/// OpenSSL check) must agree: for each kind of signer and trust file, both accept or both refuse,
/// and the answer is the one expected. A disagreement means the catalog would either refuse a
/// bundle every device accepts or, worse, mark as verified a bundle every device refuses.
/// </summary>
public sealed class SignatureAgreementTests : IDisposable
{
    private readonly TestDirectory _dir = TestDirectory.Create("nova-sig");

    public void Dispose() => _dir.Dispose();

    public enum Case
    {
        SelfSigned,
        SelfSignedMarkedAsAuthority,
        CertificateNotEmbedded,
        IssuedByTrustedRoot,
        IssuedButRootNotInTrustFile,
        CodeSigningSignerForDefaultPurpose,
        CodeSigningSignerForCodeSigning,
        NoExtendedKeyUsageForCodeSigning,
        UntrustedAndTrustedSigner,
        Expired,
    }

    [Theory]
    [InlineData(Case.SelfSigned, true)]
    [InlineData(Case.SelfSignedMarkedAsAuthority, true)]
    [InlineData(Case.CertificateNotEmbedded, false)]
    [InlineData(Case.IssuedByTrustedRoot, true)]
    [InlineData(Case.IssuedButRootNotInTrustFile, false)]
    [InlineData(Case.CodeSigningSignerForDefaultPurpose, false)]
    [InlineData(Case.CodeSigningSignerForCodeSigning, true)]
    [InlineData(Case.NoExtendedKeyUsageForCodeSigning, false)]
    [InlineData(Case.UntrustedAndTrustedSigner, true)]
    [InlineData(Case.Expired, false)]
    public async Task CatalogAndDevice_Agree(Case @case, bool accepted)
    {
        var (trust, sign, purpose, owned) = Arrange(@case);
        try
        {
            var trustFile = _dir.File($"trust-{@case}.pem");
            await File.WriteAllTextAsync(trustFile, TestSigners.Pem(trust));
            var bundle = await new SwuBundleBuilder(keys: null, _dir.Sub("bundles")).WithVersion("2.0.0").WithHardwareCompatibility("1.0")
                .AddRawFile("rootfs.img", [1, 2, 3, 4], _dir.File("target.img")).WithFileName($"{@case}.swu").SignedWith(sign).BuildAsync();
            var read = await SwuBundleReader.ReadAsync(new MemoryStream(bundle.Content));

            var catalog = new SwuSignatureVerifier(SwuSignatureVerifier.LoadTrustFile(trustFile), purpose)
                .Verify(read.DescriptionBytes, read.Signature!, DateTimeOffset.UtcNow);
            var device = await SwupdateExecutable.CheckBundleAsync(bundle.Path, trustFile, "1.0", _dir.Sub($"tmp-{@case}"),
                extraArguments: purpose == SignerPurpose.CodeSigning ? ["--cert-purpose", "codeSigning"] : null);

            Assert.True(accepted == device.Accepted, $"SWUpdate {(device.Accepted ? "accepted" : "refused")} it, expected otherwise:\n{device.Output}");
            Assert.True(accepted == catalog.Valid, $"The catalog {(catalog.Valid ? "accepted" : "refused")} it, expected otherwise: {catalog.Problem}");
        }
        finally
        {
            foreach (var certificate in owned)
            {
                certificate.Dispose();
            }
        }
    }

    private static (X509Certificate2[] Trust, Func<byte[], byte[]> Sign, SignerPurpose Purpose, X509Certificate2[] Owned) Arrange(Case @case)
    {
        const X509IncludeOption Embedded = X509IncludeOption.EndCertOnly;
        switch (@case)
        {
            case Case.SelfSigned:
            {
                var signer = TestSigners.SelfSigned();
                return ([signer], d => TestSigners.Sign(d, signer), SignerPurpose.EmailProtection, [signer]);
            }
            case Case.SelfSignedMarkedAsAuthority:
            {
                var signer = TestSigners.SelfSigned(markedAsAuthority: true);
                return ([signer], d => TestSigners.Sign(d, signer), SignerPurpose.EmailProtection, [signer]);
            }
            case Case.CertificateNotEmbedded:
            {
                var signer = TestSigners.SelfSigned();
                return ([signer], d => TestSigners.Sign(d, signer, X509IncludeOption.None), SignerPurpose.EmailProtection, [signer]);
            }
            case Case.IssuedByTrustedRoot:
            {
                var root = TestSigners.Authority();
                var signer = TestSigners.IssuedBy(root);
                return ([root], d => TestSigners.Sign(d, signer), SignerPurpose.EmailProtection, [root, signer]);
            }
            case Case.IssuedButRootNotInTrustFile:
            {
                var root = TestSigners.Authority();
                var signer = TestSigners.IssuedBy(root);
                return ([signer], d => TestSigners.Sign(d, signer), SignerPurpose.EmailProtection, [root, signer]);
            }
            case Case.CodeSigningSignerForDefaultPurpose:
            {
                var signer = TestSigners.SelfSigned(extendedKeyUsage: TestSigners.CodeSigning);
                return ([signer], d => TestSigners.Sign(d, signer), SignerPurpose.EmailProtection, [signer]);
            }
            case Case.CodeSigningSignerForCodeSigning:
            {
                var signer = TestSigners.SelfSigned(extendedKeyUsage: TestSigners.CodeSigning);
                return ([signer], d => TestSigners.Sign(d, signer), SignerPurpose.CodeSigning, [signer]);
            }
            case Case.NoExtendedKeyUsageForCodeSigning:
            {
                var signer = TestSigners.SelfSigned(extendedKeyUsage: null);
                return ([signer], d => TestSigners.Sign(d, signer), SignerPurpose.CodeSigning, [signer]);
            }
            case Case.UntrustedAndTrustedSigner:
            {
                var stranger = TestSigners.SelfSigned("stranger");
                var trusted = TestSigners.SelfSigned("trusted");
                return ([trusted], d => TestSigners.SignBy(d, Embedded, stranger, trusted), SignerPurpose.EmailProtection, [stranger, trusted]);
            }
            case Case.Expired:
            {
                var signer = TestSigners.SelfSigned(notBefore: DateTimeOffset.UtcNow.AddDays(-30), notAfter: DateTimeOffset.UtcNow.AddDays(-1));
                return ([signer], d => TestSigners.Sign(d, signer), SignerPurpose.EmailProtection, [signer]);
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(@case), @case, null);
        }
    }
}
