using System.Net;
using Nova.Firmware.Persistence;
using Nova.Firmware.Protocols.Swu;
using Nova.Firmware.Server.Tests.Infrastructure;
using Nova.Firmware.Server.Tests.Packages;

namespace Nova.Firmware.Server.Tests.Hardening;

/// <summary>A .swu bundle's own metadata (version, hardware compatibility) is checked like the form's fields.</summary>
public sealed class PackageMetadataTests
{
    public static TheoryData<DatabaseProvider, string, string> BadBundles()
    {
        var data = new TheoryData<DatabaseProvider, string, string>();
        foreach (var provider in new[] { DatabaseProvider.Sqlite, DatabaseProvider.Postgres })
        {
            data.Add(provider, "2.0\u0007", "1.0");
            data.Add(provider, new string('9', 101), "1.0");
            data.Add(provider, "2.0.0", "1.0\u0000");
            data.Add(provider, "2.0.0", "rev\u001b[31m");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(BadBundles))]
    public async Task Import_BundleMetadataBreaksTextRules_422AndNothingStored(DatabaseProvider provider, string version, string revision)
    {
        await using var server = await NovaServer.StartAsync(provider);
        SwuImage[] images = [new("rootfs.img", PackageUpload.RandomBytes(500))];
        var bundle = SwuWriter.Build(SwDescriptionText.Create(version, [revision], images), null, images.Select(i => (i.FileName, i.Content)), CpioFormat.Newc);
        using var admin = server.CreateAdminClient();

        var response = await admin.PostAsync("/api/v1/packages", PackageUpload.Swu(bundle).Build());

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        await server.AssertNothingStoredAsync();
    }
}
