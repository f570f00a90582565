using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Nova.Firmware.Server.Endpoints.Management;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Diagnosis;

/// <summary><c>POST /api/v1/diagnosis</c>: a pasted log in, the classifier's verdict out; bad bodies named field by field.</summary>
public sealed class DiagnosisEndpointTests
{
    private const string Path = "/api/v1/diagnosis";

    [Fact]
    public async Task Post_PastedLogAsViewer_ReturnsCauseConfidenceEvidenceAndSummary()
    {
        await using var server = await NovaServer.StartAsync();
        var (client, _) = await server.CreateUserClientAsync("viewer");
        using var _client = client;
        string[] lines =
        [
            "rst:0x1 (POWERON_RESET),boot:0x13 (SPI_FAST_FLASH_BOOT)",
            "I (8123) esp_https_ota: Writing to <ota_1> partition at offset 0x210000",
            "\u001b[0;31mE (98231) BOD: Brownout detector was triggered\u001b[0m",
            "E (98240) advanced_https_ota_example: ESP_HTTPS_OTA upgrade failed",
        ];

        var response = await client.PostAsJsonAsync(Path, new { lines });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["article", "cause", "confidence", "evidence", "recovery", "summary"], json.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("power-loss", json.GetProperty("cause").GetString());
        Assert.InRange(json.GetProperty("confidence").GetDouble(), 0.9, 1);
        Assert.Equal("E (98231) BOD: Brownout detector was triggered", json.GetProperty("evidence")[0].GetString());
        Assert.Contains("Brownout detector was triggered", json.GetProperty("summary").GetString(), StringComparison.Ordinal);
        // What the product does about it, and where the article explains the fix.
        Assert.Contains("boot-loop retry", json.GetProperty("recovery").GetString(), StringComparison.Ordinal);
        Assert.Equal("/articles/firmware-flash-failed#if-power-was-lost", json.GetProperty("article").GetString());
        using var article = await client.GetAsync(json.GetProperty("article").GetString()!.Split('#')[0]);
        Assert.Equal(HttpStatusCode.OK, article.StatusCode);
    }

    [Fact]
    public async Task Post_GenericLinesOnly_UnknownWithLowConfidence()
    {
        await using var server = await NovaServer.StartAsync();
        using var client = server.CreateAdminClient();

        var response = await client.PostAsJsonAsync(Path, new DiagnosisRequest(["Installation failed", "Update Failed."]));

        var body = (await response.Content.ReadFromJsonAsync<DiagnosisResponse>())!;
        Assert.Equal("unknown", body.Cause);
        Assert.True(body.Confidence < 0.5);
        Assert.EndsWith("Last words: \"Update Failed.\"", body.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApi_DescribesTheEndpoint()
    {
        await using var server = await NovaServer.StartAsync();
        using var client = server.CreateClient();

        var openApi = await client.GetStringAsync("/openapi/v1.json");

        Assert.Contains("\"/api/v1/diagnosis\"", openApi, StringComparison.Ordinal);
        Assert.Contains("DiagnosisResponse", openApi, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_NoCredentials_Returns401()
    {
        await using var server = await NovaServer.StartAsync();
        using var client = server.CreateClient();

        await ProblemAssert.IsProblemAsync(await client.PostAsJsonAsync(Path, new { lines = new[] { "x" } }), HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("""{}""", "lines")]
    [InlineData("""{"lines": null}""", "lines")]
    [InlineData("""{"lines": []}""", "lines")]
    [InlineData("""{"lines": "ERROR : HASH mismatch"}""", "lines")]
    [InlineData("""{"lines": ["fine", 42]}""", "lines[1]")]
    [InlineData("""{"lines": [{"text": "nested"}]}""", "lines[0]")]
    [InlineData("""["a bare array"]""", "body")]
    [InlineData("""{"lines": ["unterminated""", "body")]
    public async Task Post_BadBody_Returns400NamingTheField(string body, string field)
    {
        await using var server = await NovaServer.StartAsync();
        using var client = server.CreateAdminClient();

        var errors = await ProblemAssert.IsValidationProblemAsync(await client.PostAsync(Path, new StringContent(body, Encoding.UTF8, "application/json")));

        Assert.Equal([field], errors.Keys);
    }

    [Fact]
    public async Task Post_MoreThanTheMaximumLines_Returns400()
    {
        await using var server = await NovaServer.StartAsync();
        using var client = server.CreateAdminClient();
        var lines = Enumerable.Repeat("x", DiagnosisEndpoints.MaxLines + 1).ToArray();

        var errors = await ProblemAssert.IsValidationProblemAsync(await client.PostAsJsonAsync(Path, new { lines }));

        Assert.Equal(["lines"], errors.Keys);
    }

    [Fact]
    public async Task Post_BodyOverOneMebibyte_Returns413()
    {
        await using var server = await NovaServer.StartAsync();
        using var client = server.CreateAdminClient();
        var lines = Enumerable.Repeat(new string('a', 1000), 1100).ToArray();

        await ProblemAssert.IsProblemAsync(await client.PostAsJsonAsync(Path, new { lines }), HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Post_NotJson_Returns415()
    {
        await using var server = await NovaServer.StartAsync();
        using var client = server.CreateAdminClient();

        await ProblemAssert.IsProblemAsync(await client.PostAsync(Path, new StringContent("ERROR : HASH mismatch", Encoding.UTF8, "text/plain")), HttpStatusCode.UnsupportedMediaType);
    }
}
