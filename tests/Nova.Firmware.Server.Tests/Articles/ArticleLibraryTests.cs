using System.Text.RegularExpressions;
using Nova.Firmware.Server.Articles;

namespace Nova.Firmware.Server.Tests.Articles;

public sealed partial class ArticleLibraryTests
{
    private static readonly ArticleLibrary Library = ArticleLibrary.LoadEmbedded();

    [Fact]
    public void LoadEmbedded_ServerAssembly_CarriesBothArticlesWithTitleAndSummary()
    {
        Assert.Equal(["firmware-flash-failed", "gateway-will-not-pair-with-the-cloud"], Library.All.Select(a => a.Slug).Order());
        var flash = Library.Find("firmware-flash-failed")!;
        Assert.Equal("Firmware flash failed", flash.Title);
        Assert.StartsWith("A firmware update stopped partway", flash.Summary);
        Assert.DoesNotContain("\n", flash.Summary);
        Assert.Equal("Gateway will not pair with the cloud", Library.Find("gateway-will-not-pair-with-the-cloud")!.Title);
        Assert.Null(Library.Find("Firmware-Flash-Failed"));
        Assert.Null(Library.Find("../firmware-flash-failed"));
    }

    [Theory]
    [InlineData("symptom")]
    [InlineData("likely-causes")]
    [InlineData("if-space-ran-out")]
    [InlineData("if-power-was-lost")]
    [InlineData("if-the-checksum-is-wrong")]
    [InlineData("if-the-package-is-for-the-wrong-hardware")]
    [InlineData("last-resort-sd-card-reflash")]
    [InlineData("verify")]
    [InlineData("if-none-of-this-worked")]
    public void FirmwareFlashFailed_StableAnchor_IsAHeadingIdInTheHtml(string anchor)
    {
        var article = Library.Find("firmware-flash-failed")!;

        Assert.True(article.HasAnchor(anchor), $"no section '{anchor}' in {string.Join(", ", article.Sections.Select(s => s.Anchor))}");
        Assert.Contains($"id=\"{anchor}\"", article.Html);
    }

    [Fact]
    public void FirmwareFlashFailed_EverySection_SaysWhatNovaFirmwareDoes()
    {
        var article = Library.Find("firmware-flash-failed")!;
        var sectionsWithSteps = new[] { "symptom", "likely-causes", "if-space-ran-out", "if-power-was-lost", "if-the-checksum-is-wrong",
            "if-the-package-is-for-the-wrong-hardware", "last-resort-sd-card-reflash", "verify", "if-none-of-this-worked" };

        foreach (var anchor in sectionsWithSteps)
        {
            var start = article.Html.IndexOf($"id=\"{anchor}\"", StringComparison.Ordinal);
            var next = article.Html.IndexOf("<h", start + 1, StringComparison.Ordinal);
            var body = article.Html[start..(next < 0 ? article.Html.Length : next)];
            Assert.Contains("What Nova Firmware does for you", body);
        }
    }

    [Fact]
    public void Articles_EveryLinkToAnArticle_PointsAtAnExistingArticleAndAnchor()
    {
        var checkedLinks = 0;
        foreach (var article in Library.All)
        {
            foreach (Match link in Href().Matches(article.Html))
            {
                var href = link.Groups[1].Value;
                Assert.DoesNotContain(".md", href);
                var (slug, anchor) = href.StartsWith('#')
                    ? (article.Slug, href[1..])
                    : href.StartsWith("/articles/", StringComparison.Ordinal)
                        ? (href["/articles/".Length..].Split('#')[0], href.Contains('#') ? href.Split('#')[1] : null)
                        : (null, null);
                if (slug is null)
                {
                    continue;
                }
                var target = Library.Find(slug);
                Assert.True(target is not null, $"{article.Slug} links to unknown article {href}");
                Assert.True(anchor is null || target.HasAnchor(anchor), $"{article.Slug} links to unknown anchor {href}");
                checkedLinks++;
            }
        }
        Assert.True(checkedLinks >= 10, $"only {checkedLinks} links checked");
    }

    [Fact]
    public void Render_RawHtmlInTheMarkdown_IsEscapedNotPassedThrough()
    {
        var article = ArticleRenderer.Render("x", "# Title <b>bold</b>\n\nSummary <script>alert(1)</script>\n\n<div onclick=\"x()\">raw</div>\n\n[link](javascript:alert(1))\n");

        Assert.DoesNotContain("<script", article.Html);
        Assert.DoesNotContain("<div", article.Html);
        Assert.DoesNotContain("<b>", article.Html);
        Assert.Contains("&lt;script&gt;", article.Html);
        Assert.Equal("Title <b>bold</b>", article.Title);
    }

    [Theory]
    [InlineData("gateway-will-not-pair-with-the-cloud.md", "/articles/gateway-will-not-pair-with-the-cloud")]
    [InlineData("./firmware-flash-failed.md#verify", "/articles/firmware-flash-failed#verify")]
    [InlineData("#verify", "#verify")]
    [InlineData("/api/v1/devices", "/api/v1/devices")]
    [InlineData("https://example.com/a.md", "https://example.com/a.md")]
    [InlineData("../engine.md", "../engine.md")]
    public void PageUrl_SiblingMarkdownLink_BecomesThePageOfThatArticle(string url, string expected) =>
        Assert.Equal(expected, ArticleRenderer.PageUrl(url));

    [GeneratedRegex("href=\"([^\"]*)\"")]
    private static partial Regex Href();
}
