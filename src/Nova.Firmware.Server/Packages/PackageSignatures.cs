using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using Nova.Firmware.Domain.Packages;
using Nova.Firmware.Protocols.Swu;

namespace Nova.Firmware.Server.Packages;

/// <summary>What the import makes of a package's signature: a check to store, or why it is refused.</summary>
internal sealed record SignatureFinding(SignatureCheck Check, string? SignedBy, string? Refusal);

/// <summary>
/// Applies the catalog's signature policy on import. With a trust file configured, a bundle's
/// sw-description.sig is verified as the devices' SWUpdate will verify it, and a bundle that would
/// fail there is refused here; with <c>RequireSignedBundles</c>, an unsigned bundle is refused too.
/// The trust file is read once at start-up (the host resolves this service before serving):
/// replacing a signer means restarting the server.
/// </summary>
internal sealed class PackageSignatures
{
    private readonly PackageCatalogOptions _options;
    private readonly SwuSignatureVerifier? _verifier;
    private readonly TimeProvider _time;

    public PackageSignatures(IOptions<PackageCatalogOptions> options, TimeProvider time)
    {
        _options = options.Value;
        _time = time;
        if (_options.TrustedSignersFile is { Length: > 0 } path)
        {
            _verifier = new SwuSignatureVerifier(LoadTrustFile(path), _options.SignerPurpose);
        }
    }

    /// <summary>The trust file, or an error that stops the start-up with the reason.</summary>
    private static X509Certificate2Collection LoadTrustFile(string path)
    {
        try
        {
            return SwuSignatureVerifier.LoadTrustFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or System.Security.Cryptography.CryptographicException)
        {
            throw new InvalidOperationException(
                $"Nova:Packages:TrustedSignersFile must be a readable PEM file holding at least one certificate: {e.Message}", e);
        }
    }

    public SignatureFinding Check(SwuBundle? bundle, string? detachedSignature)
    {
        if (bundle is null)
        {
            // A raw image's detached signature is in a vendor's own scheme: kept, not interpreted.
            return new SignatureFinding(detachedSignature is null ? SignatureCheck.NotSigned : SignatureCheck.NotChecked, null, null);
        }
        if (bundle.Signature is not { } signature)
        {
            return _options.RequireSignedBundles
                ? new SignatureFinding(SignatureCheck.NotSigned, null,
                    "The bundle has no sw-description.sig and Nova:Packages:RequireSignedBundles is on: devices that verify signatures would refuse it.")
                : new SignatureFinding(SignatureCheck.NotSigned, null, null);
        }
        if (_verifier is null)
        {
            return new SignatureFinding(SignatureCheck.NotChecked, null, null);
        }
        var verdict = _verifier.Verify(bundle.DescriptionBytes, signature, _time.GetUtcNow());
        return verdict.Valid
            ? new SignatureFinding(SignatureCheck.Verified, Fit(verdict.SignedBy), null)
            : new SignatureFinding(SignatureCheck.NotChecked, null, verdict.Problem);
    }

    /// <summary>The column holds 500 characters; a longer subject is kept in part, never refused.</summary>
    private static string? Fit(string? subject) => subject is { Length: > 500 } ? subject[..499] + "…" : subject;
}
