using System.Net;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Nova.Firmware.Server.Articles;

public sealed record ArticleListItemResponse(string Slug, string Title, string Summary, string Url);

public sealed record ArticleSectionResponse(string Anchor, string Title, int Level);

public sealed record ArticleResponse(string Slug, string Title, string Summary, string Url, string Markdown, string Html, IReadOnlyList<ArticleSectionResponse> Sections)
{
    public static ArticleResponse From(Article a) => new(a.Slug, a.Title, a.Summary, ArticleLinks.Page(a.Slug), a.Markdown, a.Html,
        a.Sections.Select(s => new ArticleSectionResponse(s.Anchor, s.Title, s.Level)).ToList());
}

/// <summary>
/// Support articles: as data under the management API (<c>/api/v1/articles</c>, which needs a
/// viewer like every /api/v1 call), and as pages for people (<c>/articles/{slug}</c>), readable
/// without signing in: they hold no fleet data, and a technician follows a job's link from a ticket
/// or a phone.
/// </summary>
public static class ArticleEndpoints
{
    public static RouteGroupBuilder MapArticleEndpoints(this RouteGroupBuilder api)
    {
        var articles = api.MapGroup("/articles").WithTags("Articles");
        articles.MapGet("/", List).WithSummary("Every support article: slug, title, summary and the page's address.");
        articles.MapGet("/{slug}", Get).WithSummary("One article as Markdown and HTML, with the anchors of its sections.");
        return api;
    }

    public static IEndpointRouteBuilder MapArticlePages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/articles", IndexPage).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/articles/{slug}", Page).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    internal static Ok<List<ArticleListItemResponse>> List(ArticleLibrary library) =>
        TypedResults.Ok(library.All.Select(a => new ArticleListItemResponse(a.Slug, a.Title, a.Summary, ArticleLinks.Page(a.Slug))).ToList());

    internal static Results<Ok<ArticleResponse>, ProblemHttpResult> Get(string slug, ArticleLibrary library) =>
        library.Find(slug) is { } article ? TypedResults.Ok(ArticleResponse.From(article)) : NotFound(slug);

    internal static IResult Page(string slug, ArticleLibrary library, HttpResponse response) =>
        library.Find(slug) is { } article ? Html(response, article.Title, article.Html) : NotFound(slug);

    internal static IResult IndexPage(ArticleLibrary library, HttpResponse response)
    {
        var items = string.Concat(library.All.Select(a =>
            $"<li><a href=\"{Encode(ArticleLinks.Page(a.Slug))}\">{Encode(a.Title)}</a><br>{Encode(a.Summary)}</li>\n"));
        return Html(response, "Support articles", $"<h1>Support articles</h1>\n<ul class=\"index\">\n{items}</ul>\n");
    }

    private static ProblemHttpResult NotFound(string slug) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Article not found", detail: $"No article has the slug '{slug}'.");

    /// <summary>
    /// A whole page around rendered article HTML (whose raw HTML was already escaped by the
    /// renderer). The policy allows no script, frame or form at all: only the page's own style.
    /// </summary>
    private static ContentHttpResult Html(HttpResponse response, string title, string body)
    {
        response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.Content($$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{Encode(title)}} · Nova Firmware</title>
            <style>
            body { font: 16px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d2330; background: #fff; margin: 0; }
            nav, main { max-width: 46rem; margin: 0 auto; padding: 0 1.25rem; }
            nav { padding-top: 1rem; font-size: .9rem; }
            h1 { font-size: 1.8rem; margin: 1rem 0 .5rem; }
            h2 { font-size: 1.35rem; margin-top: 2rem; border-bottom: 1px solid #dde1e8; padding-bottom: .2rem; }
            h3 { font-size: 1.1rem; margin-top: 1.5rem; }
            a { color: #1a56b8; }
            code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .9em; background: #f3f5f8; border-radius: 4px; }
            code { padding: .1em .3em; }
            pre { padding: .75rem 1rem; overflow-x: auto; }
            pre code { padding: 0; background: none; }
            blockquote { margin: 1rem 0; padding: .6rem 1rem; border-left: 4px solid #2f7d4f; background: #f0f7f2; }
            blockquote p { margin: 0; }
            table { border-collapse: collapse; width: 100%; font-size: .92rem; }
            th, td { border: 1px solid #dde1e8; padding: .35rem .5rem; text-align: left; vertical-align: top; }
            ul.index li { margin-bottom: .8rem; }
            </style>
            </head>
            <body>
            <nav><a href="/articles">Support articles</a></nav>
            <main>
            {{body}}
            </main>
            </body>
            </html>
            """, "text/html; charset=utf-8");
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
