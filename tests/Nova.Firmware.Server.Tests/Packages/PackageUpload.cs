using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Nova.Firmware.Protocols.Swu;

namespace Nova.Firmware.Server.Tests.Packages;

/// <summary>
/// Builds a package import request: metadata fields first, then the file, as the API documents.
/// Defaults describe a valid raw update for the Axiom C200 rev 1.0 (CV25).
/// </summary>
internal sealed class PackageUpload
{
    private readonly List<(string Name, string Value)> _fields = [];
    private byte[] _content;
    private string _fileName;
    private bool _fileFirst;
    private bool _withFile = true;

    public PackageUpload(byte[]? content = null, string fileName = "c200-1.0.0.bin")
    {
        _content = content ?? RandomBytes(10_000);
        _fileName = fileName;
        Field("vendor", "Axiom").Field("version", "1.0.0").Field("models", "C200,C210").Field("hardwareRevisions", "1.0")
            .Field("soc", "CV25").Field("kind", "update").Field("sha256", Sha256(_content));
    }

    public byte[] Content => _content;

    public static PackageUpload Swu(byte[] bundle, string fileName = "c200.swu")
    {
        var upload = new PackageUpload(bundle, fileName);
        return upload.Without("version").Without("hardwareRevisions");
    }

    public PackageUpload Field(string name, string value)
    {
        _fields.RemoveAll(f => f.Name == name);
        _fields.Add((name, value));
        return this;
    }

    public PackageUpload Without(string name)
    {
        _fields.RemoveAll(f => f.Name == name);
        return this;
    }

    public PackageUpload WithContent(byte[] content, bool keepPublishedHash = false)
    {
        _content = content;
        if (!keepPublishedHash)
        {
            Field("sha256", Sha256(content));
        }
        return this;
    }

    public PackageUpload FileName(string name) { _fileName = name; return this; }
    public PackageUpload FileFirst() { _fileFirst = true; return this; }
    public PackageUpload NoFile() { _withFile = false; return this; }

    public MultipartFormDataContent Build()
    {
        var form = new MultipartFormDataContent();
        if (_withFile && _fileFirst)
        {
            AddFile(form);
        }
        foreach (var (name, value) in _fields)
        {
            form.Add(new StringContent(value, Encoding.UTF8), name);
        }
        if (_withFile && !_fileFirst)
        {
            AddFile(form);
        }
        return form;
    }

    private void AddFile(MultipartFormDataContent form)
    {
        var file = new ByteArrayContent(_content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", _fileName);
    }

    public static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    public static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    /// <summary>A valid bundle: version 2.0.0, hardware-compatibility 1.0 and 1.1, two images.</summary>
    public static byte[] ValidBundle(string version = "2.0.0", CpioFormat format = CpioFormat.Newc) =>
        Bundle(version, format, sign: null);

    /// <summary>A valid bundle whose sw-description is signed by <paramref name="sign"/> (given its bytes).</summary>
    public static byte[] Bundle(string version, CpioFormat format, Func<byte[], byte[]>? sign)
    {
        SwuImage[] images = [new("rootfs.img", RandomBytes(5000)), new("kernel.img", RandomBytes(700), "rawfile", "/boot/kernel")];
        var description = SwDescriptionText.Create(version, ["1.0", "1.1"], images);
        var signature = sign?.Invoke(Encoding.UTF8.GetBytes(description));
        return SwuWriter.Build(description, signature, images.Select(i => (i.FileName, i.Content)), format);
    }
}
