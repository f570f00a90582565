using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Nova.Firmware.Server.Tests.Infrastructure;

namespace Nova.Firmware.Server.Tests.Articles;

public sealed class ArticleEndpointsTests
{
    [Fact]
    public async Task List_AsViewer_EveryArticleWithTitleSummaryAndPage()
    {
        await using var server = await NovaServer.StartAsync();
        var (viewer, _) = await server.CreateUserClientAsync("viewer");

        var articles = await viewer.GetFromJsonAsync<JsonElement>("/api/v1/articles");

        var flash = articles.EnumerateArray().Single(a => a.GetProperty("slug").GetString() == "firmware-flash-failed");
        Assert.Equal("Firmware flash failed", flash.GetProperty("title").GetString());
        Assert.False(string.IsNullOrWhiteSpace(flash.GetProperty("summary").GetString()));
        Assert.Equal("/articles/firmware-flash-failed", flash.GetProperty("url").GetString());
        Assert.Contains(articles.EnumerateArray(), a => a.GetProperty("slug").GetString() == "gateway-will-not-pair-with-the-cloud");
    }

    [Fact]
    public async Task Get_KnownSlug_MarkdownHtmlAndSectionAnchors()
    {
        await using var server = await NovaServer.StartAsync();
        using var admin = server.CreateAdminClient();

        var article = await admin.GetFromJsonAsync<JsonElement>("/api/v1/articles/firmware-flash-failed");

        Assert.Equal("firmware-flash-failed", article.GetProperty("slug").GetString());
        Assert.StartsWith("# Firmware flash failed", article.GetProperty("markdown").GetString());
        Assert.Contains("<h3 id=\"if-power-was-lost\">If power was lost</h3>", article.GetProperty("html").GetString());
        var sections = article.GetProperty("sections").EnumerateArray()
            .Select(s => (s.GetProperty("anchor").GetString(), s.GetProperty("title").GetString(), s.GetProperty("level").GetInt32())).ToList();
        Assert.Contains(("last-resort-sd-card-reflash", "Last resort: SD card reflash", 2), sections);
        Assert.Contains(("if-the-checksum-is-wrong", "If the checksum is wrong", 3), sections);
    }

    [Fact]
    public async Task Get_UnknownSlug_404ProblemFromTheApiAndThePage()
    {
        await using var server = await NovaServer.StartAsync();
        using var admin = server.CreateAdminClient();
        using var anonymous = server.CreateClient();

        var api = await ProblemAssert.IsProblemAsync(await admin.GetAsync("/api/v1/articles/no-such-article"), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await anonymous.GetAsync("/articles/no-such-article"), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await anonymous.GetAsync("/articles/%3Cscript%3E"), HttpStatusCode.NotFound);

        Assert.Equal("Article not found", api.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Page_WithoutCredentials_ReadableHtmlWithNoScriptAllowed()
    {
        await using var server = await NovaServer.StartAsync();
        using var anonymous = server.CreateClient();

        using var page = await anonymous.GetAsync("/articles/gateway-will-not-pair-with-the-cloud");
        using var index = await anonymous.GetAsync("/articles");
        using var api = await anonymous.GetAsync("/api/v1/articles");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<title>Gateway will not pair with the cloud · Nova Firmware</title>", html);
        Assert.Contains("id=\"if-the-server-answers-401\"", html);
        Assert.Contains("href=\"/articles/firmware-flash-failed#if-power-was-lost\"", html);
        Assert.Contains("default-src 'none'", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Contains("href=\"/articles/firmware-flash-failed\"", await index.Content.ReadAsStringAsync());
        // The API follows every /api/v1 call: credentials required.
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }
}
