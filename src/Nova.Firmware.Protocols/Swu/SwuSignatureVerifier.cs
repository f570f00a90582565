using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;

namespace Nova.Firmware.Protocols.Swu;

/// <summary>The certificate purpose a signer must carry, as SWUpdate's <c>--cert-purpose</c> names it.</summary>
public enum SignerPurpose
{
    /// <summary>SWUpdate's default: OpenSSL's S/MIME signing purpose (extendedKeyUsage emailProtection).</summary>
    EmailProtection = 0,
    /// <summary><c>--cert-purpose codeSigning</c>: the signer's extendedKeyUsage must include codeSigning.</summary>
    CodeSigning = 1,
}

/// <summary>What checking a bundle's signature found: the signer's subject, or why it would be refused.</summary>
public sealed record SwuSignatureVerdict(bool Valid, string? SignedBy, string? Problem)
{
    public static SwuSignatureVerdict Refused(string problem) => new(false, null, problem);
}

/// <summary>
/// Checks <c>sw-description.sig</c> the way SWUpdate's CMS mode does on the device, so a bundle the
/// device would refuse with "Authentication of all signatures failed" is refused at import instead of
/// on a thousand devices: a DER CMS SignedData, detached, over the exact sw-description bytes; one
/// signer whose signature matches; its certificate valid now, chaining to a certificate of the trust
/// file (SWUpdate's <c>-k</c> file: the same PEM file works for both); and fit for the signing purpose
/// (keyUsage, when present, allows digitalSignature or nonRepudiation; extendedKeyUsage, when present,
/// includes the purpose). The trust file holds either the signer itself or the root of its chain, as
/// OpenSSL's default store does.
/// </summary>
public sealed class SwuSignatureVerifier(X509Certificate2Collection trustedSigners, SignerPurpose purpose = SignerPurpose.EmailProtection)
{
    private const string EmailProtectionOid = "1.3.6.1.5.5.7.3.4";
    private const string CodeSigningOid = "1.3.6.1.5.5.7.3.3";

    /// <summary>Reads every certificate of a PEM file (SWUpdate's <c>-k</c> file).</summary>
    /// <exception cref="InvalidDataException">The file holds no certificate.</exception>
    public static X509Certificate2Collection LoadTrustFile(string pemPath)
    {
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPemFile(pemPath);
        if (certificates.Count == 0)
        {
            throw new InvalidDataException($"'{pemPath}' holds no PEM certificate.");
        }
        return certificates;
    }

    public SwuSignatureVerdict Verify(byte[] description, byte[] signature, DateTimeOffset now)
    {
        var cms = new SignedCms(new ContentInfo(description), detached: true);
        try
        {
            cms.Decode(signature);
        }
        catch (CryptographicException e)
        {
            return SwuSignatureVerdict.Refused($"sw-description.sig is not a DER-encoded CMS signature ({e.Message.TrimEnd('.')}).");
        }
        if (cms.SignerInfos.Count == 0)
        {
            return SwuSignatureVerdict.Refused("sw-description.sig holds no signer.");
        }
        var problems = new List<string>();
        foreach (var signer in cms.SignerInfos)
        {
            var problem = CheckSigner(signer, cms.Certificates, now, out var subject);
            if (problem is null)
            {
                return new SwuSignatureVerdict(true, subject, null);
            }
            problems.Add(problem);
        }
        return SwuSignatureVerdict.Refused(string.Join(" ", problems));
    }

    private string? CheckSigner(SignerInfo signer, X509Certificate2Collection embedded, DateTimeOffset now, out string? subject)
    {
        subject = null;
        var certificate = signer.Certificate ?? FindTrusted(signer.SignerIdentifier);
        if (certificate is null)
        {
            return "The signer's certificate is neither in the signature nor in the trust file.";
        }
        subject = certificate.Subject;
        try
        {
            signer.CheckSignature(new X509Certificate2Collection(certificate), verifySignatureOnly: true);
        }
        catch (CryptographicException)
        {
            return $"The signature of '{subject}' does not match sw-description: the description was changed after signing.";
        }
        if (PurposeProblem(certificate) is { } purposeProblem)
        {
            return purposeProblem;
        }
        return ChainProblem(certificate, embedded, now);
    }

    private string? PurposeProblem(X509Certificate2 certificate)
    {
        var keyUsage = certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
        if (keyUsage is not null
            && (keyUsage.KeyUsages & (X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation)) == 0)
        {
            return $"The signer '{certificate.Subject}' may not sign: its keyUsage ({keyUsage.KeyUsages}) has neither digitalSignature nor nonRepudiation.";
        }
        var extended = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        var (oid, name) = purpose switch
        {
            SignerPurpose.EmailProtection => (EmailProtectionOid, "emailProtection"),
            SignerPurpose.CodeSigning => (CodeSigningOid, "codeSigning"),
            _ => throw new InvalidOperationException($"Unknown signer purpose {purpose}."),
        };
        if (extended is not null && !extended.EnhancedKeyUsages.Cast<Oid>().Any(u => u.Value == oid))
        {
            var has = string.Join(", ", extended.EnhancedKeyUsages.Cast<Oid>().Select(u => u.FriendlyName ?? u.Value));
            return $"The signer '{certificate.Subject}' is not for {name}: its extendedKeyUsage is {has} (SWUpdate --cert-purpose).";
        }
        return null;
    }

    private string? ChainProblem(X509Certificate2 certificate, X509Certificate2Collection embedded, DateTimeOffset now)
    {
        if (trustedSigners.Any(t => t.RawData.AsSpan().SequenceEqual(certificate.RawData)))
        {
            // The signer itself is in the trust file (the usual self-signed case): OpenSSL trusts it as
            // it is, without the CA checks a chain builder applies to a root (openssl req -x509 marks
            // the certificate CA:TRUE but gives it no keyCertSign, and SWUpdate accepts it).
            return now < certificate.NotBefore || now > certificate.NotAfter
                ? $"The signer '{certificate.Subject}' is not trusted: a certificate of its chain is not valid at {now:u}."
                : null;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trustedSigners);
        chain.ChainPolicy.ExtraStore.AddRange(embedded);
        // Devices check no revocation list either; a firmware signer is revoked by changing the trust file.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        // Never fetch issuers from the network while importing: the trust file is the whole truth.
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        if (chain.Build(certificate))
        {
            return null;
        }
        var reasons = chain.ChainStatus.Select(s =>
            (s.Status & (X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain)) != 0 ? "it does not chain to a certificate of the trust file"
            : (s.Status & X509ChainStatusFlags.NotTimeValid) != 0 ? $"a certificate of its chain is not valid at {now:u}"
            : s.StatusInformation.Trim().TrimEnd('.')).Distinct();
        return $"The signer '{certificate.Subject}' is not trusted: {string.Join("; ", reasons)}.";
    }

    private X509Certificate2? FindTrusted(SubjectIdentifier id) => id.Type switch
    {
        SubjectIdentifierType.IssuerAndSerialNumber when id.Value is X509IssuerSerial issuerSerial => trustedSigners.FirstOrDefault(c =>
            c.IssuerName.Name == issuerSerial.IssuerName && string.Equals(c.SerialNumber, issuerSerial.SerialNumber, StringComparison.OrdinalIgnoreCase)),
        SubjectIdentifierType.SubjectKeyIdentifier when id.Value is string keyId => trustedSigners.FirstOrDefault(c =>
            string.Equals(c.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault()?.SubjectKeyIdentifier, keyId, StringComparison.OrdinalIgnoreCase)),
        SubjectIdentifierType.Unknown or SubjectIdentifierType.IssuerAndSerialNumber or SubjectIdentifierType.SubjectKeyIdentifier or SubjectIdentifierType.NoSignature => null,
        _ => null,
    };
}
