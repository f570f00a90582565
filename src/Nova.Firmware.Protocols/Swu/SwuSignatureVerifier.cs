using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

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
/// Checks <c>sw-description.sig</c> the way SWUpdate's CMS mode (OpenSSL's <c>CMS_verify</c>) does on
/// the device, so a bundle the device would refuse with "Authentication of all signatures failed"
/// is refused at import instead of on a thousand devices:
/// <list type="bullet">
/// <item>a DER CMS SignedData, detached, over the exact sw-description bytes;</item>
/// <item>every signer's certificate embedded in the signature (SWUpdate looks nowhere else) and every
/// signer's signature matching;</item>
/// <item>at least one signer trusted: valid now, fit for the purpose, and either self-signed and in
/// the trust file (SWUpdate's <c>-k</c> file) or chaining to a root in it, as OpenSSL's default store
/// requires (no partial chains).</item>
/// </list>
/// Purpose: for emailProtection (OpenSSL's smime_sign), keyUsage when present must allow
/// digitalSignature or nonRepudiation and extendedKeyUsage when present must include emailProtection;
/// for codeSigning (SWUpdate's own check), extendedKeyUsage must be present and include codeSigning.
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
        var embedded = cms.Certificates;
        try
        {
            return Verify(cms, embedded, now);
        }
        finally
        {
            foreach (var certificate in embedded)
            {
                certificate.Dispose();
            }
        }
    }

    private SwuSignatureVerdict Verify(SignedCms cms, X509Certificate2Collection embedded, DateTimeOffset now)
    {
        if (cms.SignerInfos.Count == 0)
        {
            return SwuSignatureVerdict.Refused("sw-description.sig holds no signer.");
        }
        var signers = new List<X509Certificate2>();
        try
        {
            // Every signature must hold (CMS_verify checks them all); trust is needed from one signer.
            foreach (var signer in cms.SignerInfos)
            {
                var certificate = signer.Certificate;
                if (certificate is null)
                {
                    return SwuSignatureVerdict.Refused(
                        "A signer's certificate is not in sw-description.sig (signed with -nocerts?): SWUpdate finds signers only there.");
                }
                signers.Add(certificate);
                try
                {
                    signer.CheckSignature(new X509Certificate2Collection(certificate), verifySignatureOnly: true);
                }
                catch (CryptographicException)
                {
                    return SwuSignatureVerdict.Refused(
                        $"The signature of '{certificate.Subject}' does not match sw-description: the description was changed after signing.");
                }
            }
            var problems = new List<string>();
            foreach (var certificate in signers)
            {
                var problem = PurposeProblem(certificate) ?? ChainProblem(certificate, embedded, now);
                if (problem is null)
                {
                    return new SwuSignatureVerdict(true, certificate.Subject, null);
                }
                problems.Add(problem);
            }
            return SwuSignatureVerdict.Refused(string.Join(" ", problems));
        }
        finally
        {
            foreach (var certificate in signers)
            {
                certificate.Dispose();
            }
        }
    }

    private string? PurposeProblem(X509Certificate2 certificate)
    {
        var extended = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
        var usages = extended?.EnhancedKeyUsages.Cast<Oid>().ToList();
        var has = usages is null ? "absent" : string.Join(", ", usages.Select(u => u.FriendlyName ?? u.Value));
        switch (purpose)
        {
            case SignerPurpose.EmailProtection:
                var keyUsage = certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
                if (keyUsage is not null
                    && (keyUsage.KeyUsages & (X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.NonRepudiation)) == 0)
                {
                    return $"The signer '{certificate.Subject}' may not sign: its keyUsage ({keyUsage.KeyUsages}) has neither digitalSignature nor nonRepudiation.";
                }
                return usages is not null && !usages.Any(u => u.Value == EmailProtectionOid)
                    ? $"The signer '{certificate.Subject}' is not for emailProtection: its extendedKeyUsage is {has} (SWUpdate --cert-purpose)."
                    : null;
            case SignerPurpose.CodeSigning:
                return usages is null || !usages.Any(u => u.Value == CodeSigningOid)
                    ? $"The signer '{certificate.Subject}' is not for codeSigning: its extendedKeyUsage is {has} (SWUpdate --cert-purpose codeSigning requires it)."
                    : null;
            default:
                throw new InvalidOperationException($"Unknown signer purpose {purpose}.");
        }
    }

    private string? ChainProblem(X509Certificate2 certificate, X509Certificate2Collection embedded, DateTimeOffset now)
    {
        var selfSigned = certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData);
        if (selfSigned && trustedSigners.Any(t => t.RawData.AsSpan().SequenceEqual(certificate.RawData)))
        {
            // A self-signed signer in the trust file is its own anchor: OpenSSL trusts it as it is,
            // without the CA checks a chain builder applies to a root (`openssl req -x509` marks the
            // certificate CA:TRUE but gives it no keyCertSign, and SWUpdate accepts it).
            return now < certificate.NotBefore || now > certificate.NotAfter
                ? $"The signer '{certificate.Subject}' is not trusted: a certificate of its chain is not valid at {now:u}."
                : null;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trustedSigners);
        chain.ChainPolicy.ExtraStore.AddRange(embedded);
        // Issuing certificates must allow the purpose too, as OpenSSL checks every CA of the chain.
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(purpose == SignerPurpose.CodeSigning ? CodeSigningOid : EmailProtectionOid));
        // Devices check no revocation list either; a firmware signer is revoked by changing the trust file.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        // Never fetch issuers from the network while importing: the trust file is the whole truth.
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        try
        {
            if (chain.Build(certificate))
            {
                return null;
            }
            var reasons = chain.ChainStatus.Select(s =>
                (s.Status & (X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain)) != 0 ? "it does not chain to a root in the trust file"
                : (s.Status & X509ChainStatusFlags.NotTimeValid) != 0 ? $"a certificate of its chain is not valid at {now:u}"
                : (s.Status & X509ChainStatusFlags.NotValidForUsage) != 0 ? "a certificate of its chain does not allow the signing purpose"
                : s.StatusInformation.Trim().TrimEnd('.')).Distinct();
            return $"The signer '{certificate.Subject}' is not trusted: {string.Join("; ", reasons)}.";
        }
        finally
        {
            foreach (var element in chain.ChainElements)
            {
                element.Certificate.Dispose();
            }
        }
    }
}
