namespace Nova.Firmware.EndToEnd.Tests.Swupdate;

/// <summary>
/// A throwaway self-signed signer for .swu bundles. Debian's SWUpdate verifies the CMS signature of
/// sw-description against the certificate given with <c>-k</c> and checks its purpose: key usage
/// digitalSignature and extended key usage emailProtection (its <c>--cert-purpose</c> default).
/// </summary>
public sealed class TestSigningKeys
{
    private TestSigningKeys(string certificatePath, string keyPath)
    {
        CertificatePath = certificatePath;
        KeyPath = keyPath;
    }

    /// <summary>PEM certificate; pass to SWUpdate with <c>-k</c>.</summary>
    public string CertificatePath { get; }

    /// <summary>PEM private key (unencrypted).</summary>
    public string KeyPath { get; }

    public static async Task<TestSigningKeys> CreateAsync(string directory, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(directory);
        var certificate = Path.Combine(directory, "signer.cert.pem");
        var key = Path.Combine(directory, "signer.key.pem");
        await ExternalTool.RunAsync(
            "openssl",
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", key, "-out", certificate, "-days", "2",
                "-subj", "/CN=nova-test-signer",
                "-addext", "keyUsage=critical,digitalSignature",
                "-addext", "extendedKeyUsage=emailProtection",
            ],
            cancellationToken: cancellationToken);
        return new TestSigningKeys(certificate, key);
    }

    /// <summary>Signs a file the way SWUpdate expects: detached CMS, DER, no S/MIME capabilities, binary.</summary>
    public Task SignAsync(string inputPath, string signaturePath, CancellationToken cancellationToken = default) =>
        ExternalTool.RunAsync(
            "openssl",
            [
                "cms", "-sign", "-in", inputPath, "-out", signaturePath,
                "-signer", CertificatePath, "-inkey", KeyPath,
                "-outform", "DER", "-nosmimecap", "-binary",
            ],
            cancellationToken: cancellationToken);
}
