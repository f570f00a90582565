using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Nova.Firmware.Persistence;
using Nova.Firmware.Server.Endpoints.Management;
using Nova.Firmware.Server.Endpoints.Management.Devices;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Devices;

public sealed class DeviceImportTests
{
    private const string Header = "controllerId,vendor,model,hardwareRevision,soc,serial,kind,protocol,site,tags,name,switchId,port,activeVersion,inactiveVersion,totalBytes,freeBytes,abSlots,recoveryPartition,bootLoopRetry,sdSlot,remoteRecoveryTrigger";

    private static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Import_ValidCsv_StoresEveryRow(DatabaseProvider provider)
    {
        await using var server = await NovaServer.StartAsync(provider);
        using var client = server.CreateAdminClient();
        var site = DeviceRequestBuilder.UniqueSite();
        // CRLF line ends, a quoted field with a comma, one with doubled quotes, and one spanning two lines.
        var csv = Header + "\r\n"
            + $"imp-1,Axiom,AX-500,B2,cv25,S1,camera,ddi,{site},lobby;north,\"Gate, west\",sw-1,3,4.2.1,4.1.0,1000,400,true,yes,0,false,no\r\n"
            + $"imp-2,Axiom,AX-500,B2,cv25,S2,camera,onvif,{site},,\"The \"\"big\"\" one\",,,,,,,,,,,\r\n"
            + $",Vault,NV-16,A,x86,S3,nvr,ddi,{site},,\"two\r\nlines\",,,,,,,,,,,\r\n";

        var response = await client.PostAsync("/api/v1/devices/import", Csv(csv));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, (await response.Content.ReadFromJsonAsync<ImportResult>())!.Imported);
        var page = (await client.GetFromJsonAsync<Paged<DeviceResponse>>($"/api/v1/devices?site={site}"))!;
        Assert.Equal(3, page.Total);
        var first = page.Items.Single(d => d.ControllerId == "imp-1");
        Assert.Equal("Gate, west", first.Name);
        Assert.Equal(["lobby", "north"], first.Tags);
        Assert.Equal(new PowerFeedWire("sw-1", 3), first.PowerFeed);
        Assert.Equal(new FirmwareWire("4.2.1", "4.1.0"), first.Firmware);
        Assert.Equal(new StorageWire(1000, 400), first.Storage);
        Assert.Equal(new CapabilitiesWire(true, true, false, false, false), first.Capabilities);
        Assert.Equal("The \"big\" one", page.Items.Single(d => d.ControllerId == "imp-2").Name);
        var third = page.Items.Single(d => d.Serial == "S3");
        Assert.Equal("S3", third.ControllerId); // defaults to the serial
        Assert.Equal("two\r\nlines", third.Name);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Import_InvalidRows_ReportsLineNumbersAndImportsNothing(DatabaseProvider provider)
    {
        await using var server = await NovaServer.StartAsync(provider);
        using var client = server.CreateAdminClient();
        var site = DeviceRequestBuilder.UniqueSite();
        var csv = "vendor,model,hardwareRevision,soc,serial,kind,protocol,site,port,switchId,totalBytes,freeBytes,abSlots,name\n"
            + $"Axiom,AX-500,B2,cv25,S1,camera,ddi,{site},,,,,,\n"                       // line 2: fine
            + $"Axiom,AX-500,B2,cv25,S2,toaster,ddi,{site},,,,,,\n"                      // line 3: bad kind
            + $"Axiom,AX-500,B2,cv25,S3,camera,ddi,{site},,,,,,\"Gate\nwest\"\n"          // lines 4-5: fine, spans two lines (a name may)
            + $",AX-500,B2,cv25,S4,camera,ddi,{site},99999,sw,ten,5,maybe,\n"           // line 6: vendor, port, totalBytes, abSlots
            + $"Axiom,AX-500,B2,cv25,S1,camera,ddi,{site},,,,,,\n";                      // line 7: duplicate of line 2

        var response = await client.PostAsync("/api/v1/devices/import", Csv(csv));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        var errors = problem.GetProperty("errors").EnumerateArray()
            .Select(e => (Line: e.GetProperty("line").GetInt32(), Field: e.GetProperty("field").GetString()!, Message: e.GetProperty("message").GetString()!))
            .ToList();
        Assert.Equal(
            [(3, "kind"), (6, "abSlots"), (6, "port"), (6, "totalBytes"), (6, "vendor"), (7, "controllerId")],
            errors.Select(e => (e.Line, e.Field)).Order().ToList());
        Assert.Contains("line 2", errors.Single(e => e.Line == 7).Message, StringComparison.Ordinal);
        Assert.Equal(0, (await client.GetFromJsonAsync<Paged<DeviceResponse>>($"/api/v1/devices?site={site}"))!.Total);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.All), MemberType = typeof(TestDatabases))]
    public async Task Import_ControllerIdAlreadyInInventory_RejectsWholeFile(DatabaseProvider provider)
    {
        await using var server = await NovaServer.StartAsync(provider);
        using var client = server.CreateAdminClient();
        var site = DeviceRequestBuilder.UniqueSite();
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/devices", DeviceRequestBuilder.Camera() with { ControllerId = "existing-1" })).StatusCode);
        var csv = "controllerId,vendor,model,hardwareRevision,soc,serial,kind,protocol,site\n"
            + $"new-1,Axiom,AX-500,B2,cv25,S10,camera,ddi,{site}\n"
            + $"existing-1,Axiom,AX-500,B2,cv25,S11,camera,ddi,{site}\n";

        var problem = await ProblemAssert.IsProblemAsync(await client.PostAsync("/api/v1/devices/import", Csv(csv)), HttpStatusCode.UnprocessableEntity);

        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal(3, error.GetProperty("line").GetInt32());
        Assert.Equal("controllerId", error.GetProperty("field").GetString());
        Assert.Equal(0, (await client.GetFromJsonAsync<Paged<DeviceResponse>>($"/api/v1/devices?site={site}"))!.Total);
    }

    [Fact]
    public async Task Import_MultipartFilePart_StoresRows()
    {
        await using var server = await NovaServer.StartAsync();
        using var client = server.CreateAdminClient();
        var site = DeviceRequestBuilder.UniqueSite();
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes($"vendor,model,hardwareRevision,soc,serial,kind,protocol,site\nAxiom,AX-500,B2,cv25,M1,camera,ddi,{site}\n"));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "devices.csv");

        var response = await client.PostAsync("/api/v1/devices/import", form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (await client.GetFromJsonAsync<Paged<DeviceResponse>>($"/api/v1/devices?site={site}"))!.Total);
    }

    [Theory]
    [InlineData("vendor,model,hardwareRevision,soc,serial,kind,protocol,colour\n", "colour")]
    [InlineData("vendor,model,hardwareRevision,soc,serial,kind\n", "protocol")]
    [InlineData("vendor,vendor,model,hardwareRevision,soc,serial,kind,protocol\n", "vendor")]
    [InlineData("", "*")]
    public async Task Import_BadHeader_ReportsLineOne(string csv, string field)
    {
        await using var server = await NovaServer.StartAsync();
        using var client = server.CreateAdminClient();

        var problem = await ProblemAssert.IsProblemAsync(await client.PostAsync("/api/v1/devices/import", Csv(csv)), HttpStatusCode.UnprocessableEntity);

        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal(1, error.GetProperty("line").GetInt32());
        Assert.Equal(field, error.GetProperty("field").GetString());
    }

    [Fact]
    public async Task Import_ExampleFromApiDocs_IsAccepted()
    {
        await using var server = await NovaServer.StartAsync();
        using var client = server.CreateAdminClient();
        var docs = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "docs", "api.md"));
        var start = docs.IndexOf("```csv\n", StringComparison.Ordinal) + "```csv\n".Length;
        var csv = docs[start..docs.IndexOf("```", start, StringComparison.Ordinal)];

        var response = await client.PostAsync("/api/v1/devices/import", Csv(csv));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = (await client.GetFromJsonAsync<Paged<DeviceResponse>>("/api/v1/devices?site=hq"))!;
        Assert.Equal(["NV9", "cam-0042"], page.Items.Select(d => d.ControllerId).Order(StringComparer.Ordinal));
        Assert.Equal("Rack 2, \"top\" unit", page.Items.Single(d => d.Serial == "NV9").Name);
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Nova.Firmware.slnx")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Nova.Firmware.slnx not found above the test output.");
    }

    [Fact]
    public async Task Import_AsViewer_Returns403()
    {
        await using var server = await NovaServer.StartAsync();
        var (viewer, _) = await server.CreateUserClientAsync("viewer");
        using var _viewer = viewer;

        await ProblemAssert.IsProblemAsync(await viewer.PostAsync("/api/v1/devices/import", Csv(Header + "\n")), HttpStatusCode.Forbidden);
    }

    [Fact]
    public void Read_QuotedFieldsAndBlankLines_KeepsPhysicalLineNumbers()
    {
        var rows = CsvRows.Read(new StringReader("a,b\r\n\r\n\"x\r\ny\",\"say \"\"hi\"\"\"\r\nlast,\r\n")).ToList();

        Assert.Equal([1, 3, 5], rows.Select(r => r.Line));
        Assert.Equal(["x\r\ny", "say \"hi\""], rows[1].Fields);
        Assert.Equal(["last", ""], rows[2].Fields);
        Assert.All(rows, r => Assert.Null(r.Malformed));
    }

    [Fact]
    public void Read_StrayQuote_IsReportedAsMalformed()
    {
        var rows = CsvRows.Read(new StringReader("a,b\nx,bad\"quote\n")).ToList();

        Assert.NotNull(rows[1].Malformed);
        Assert.Equal(2, rows[1].Line);
    }
}
