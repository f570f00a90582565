using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

namespace Nova.Firmware.Protocols.Tests.Swu;

/// <summary>
/// Certificates and CMS signatures for signature tests, made in memory: a self-signed signer like the
/// one the SWUpdate tests make with openssl, variants with the wrong purpose or validity, and a CA
/// that issues signers. Shared with the server tests by file link.
/// </summary>
public static class TestSigners
{
    public const string EmailProtection = "1.3.6.1.5.5.7.3.4";
    public const string CodeSigning = "1.3.6.1.5.5.7.3.3";

    public static X509Certificate2 SelfSigned(string name = "nova-test-signer", string? extendedKeyUsage = EmailProtection,
        X509KeyUsageFlags keyUsage = X509KeyUsageFlags.DigitalSignature, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null,
        bool markedAsAuthority = false)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = Request(name, key, extendedKeyUsage, keyUsage);
        if (markedAsAuthority)
        {
            // What `openssl req -x509` adds by default (basicConstraints CA:TRUE), keyCertSign or not.
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        }
        return request.CreateSelfSigned(notBefore ?? DateTimeOffset.UtcNow.AddDays(-1), notAfter ?? DateTimeOffset.UtcNow.AddYears(1));
    }

    public static X509Certificate2 Authority(string name = "nova-test-ca", string? extendedKeyUsage = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        if (extendedKeyUsage is not null)
        {
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(extendedKeyUsage)], false));
        }
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(2));
    }

    public static X509Certificate2 IssuedBy(X509Certificate2 authority, string name = "nova-issued-signer")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = Request(name, key, EmailProtection, X509KeyUsageFlags.DigitalSignature);
        var serial = RandomNumberGenerator.GetBytes(12);
        using var issued = request.Create(authority, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1), serial);
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>A detached DER CMS signature, as <c>openssl cms -sign -binary -outform DER</c> makes.</summary>
    public static byte[] Sign(byte[] content, X509Certificate2 signer, X509IncludeOption include = X509IncludeOption.EndCertOnly) =>
        SignBy(content, include, signer);

    /// <summary>One detached signature with a SignerInfo per signer, as repeated <c>-signer</c> options make.</summary>
    public static byte[] SignBy(byte[] content, X509IncludeOption include, params X509Certificate2[] signers)
    {
        var cms = new SignedCms(new ContentInfo(content), detached: true);
        foreach (var signer in signers)
        {
            cms.ComputeSignature(new CmsSigner(signer) { IncludeOption = include }, silent: true);
        }
        return cms.Encode();
    }

    public static X509Certificate2Collection Trust(params X509Certificate2[] certificates) =>
        new(certificates.Select(c => X509CertificateLoader.LoadCertificate(c.RawData)).ToArray());

    /// <summary>The certificates as one PEM file, like SWUpdate's <c>-k</c> file.</summary>
    public static string Pem(params X509Certificate2[] certificates) =>
        string.Concat(certificates.Select(c => c.ExportCertificatePem() + "\n"));

    private static CertificateRequest Request(string name, ECDsa key, string? extendedKeyUsage, X509KeyUsageFlags keyUsage)
    {
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(keyUsage, true));
        if (extendedKeyUsage is not null)
        {
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(extendedKeyUsage)], false));
        }
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }
}
