using System.Net.Http.Headers;
using System.Security.Cryptography;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.EndToEnd.Tests.Nova;

/// <summary>What the end-to-end tests send to the management API, written once.</summary>
public static class NovaApi
{
    /// <summary>A client for a server on real sockets, signed in as the first admin.</summary>
    public static HttpClient Admin(Uri baseAddress)
    {
        var client = new HttpClient { BaseAddress = baseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"admin:{NovaServer.AdminPassword}")));
        return client;
    }

    /// <summary>The multipart body of a package import, with the published SHA-256 of <paramref name="content"/>.</summary>
    public static MultipartFormDataContent PackageForm(string vendor, string version, string model, string? hardwareRevision, string soc, byte[] content, string fileName,
        string kind = "update")
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent(vendor), "vendor" },
            { new StringContent(version), "version" },
            { new StringContent(model), "models" },
            { new StringContent(soc), "soc" },
            { new StringContent(kind), "kind" },
            { new StringContent(Convert.ToHexStringLower(SHA256.HashData(content))), "sha256" },
        };
        if (hardwareRevision is not null)
        {
            form.Add(new StringContent(hardwareRevision), "hardwareRevisions");
        }
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        return form;
    }
}
