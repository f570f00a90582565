using System.Text;
using Markdig;
using Markdig.Extensions.AutoIdentifiers;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Nova.Firmware.Server.Articles;

/// <summary>
/// Markdown to <see cref="Article"/> with Markdig. Raw HTML in the Markdown is escaped, never
/// passed through; heading ids follow GitHub's rules; links to a sibling article
/// (<c>other.md#anchor</c>) become links to its page (<c>/articles/other#anchor</c>).
/// </summary>
internal static class ArticleRenderer
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseAutoIdentifiers(AutoIdentifierOptions.GitHub)
        .UsePipeTables()
        .DisableHtml()
        .Build();

    public static Article Render(string slug, string markdown)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        var headings = document.Descendants<HeadingBlock>().ToList();
        var title = headings.FirstOrDefault(h => h.Level == 1) is { } h1
            ? PlainText(h1.Inline)
            : throw new InvalidOperationException($"Article '{slug}' has no '# Title' heading.");
        var summary = document.OfType<ParagraphBlock>().FirstOrDefault() is { } first
            ? PlainText(first.Inline)
            : throw new InvalidOperationException($"Article '{slug}' has no summary paragraph under its title.");
        var sections = headings.Where(h => h.Level > 1)
            .Select(h => new ArticleSection(h.GetAttributes().Id ?? "", PlainText(h.Inline), h.Level))
            .ToList();
        foreach (var link in document.Descendants<LinkInline>())
        {
            link.Url = PageUrl(link.Url);
        }
        return new Article(slug, title, summary, markdown, Markdown.ToHtml(document, Pipeline), sections);
    }

    /// <summary>"other.md#x" → "/articles/other#x"; anything else (absolute, rooted, in-page) unchanged.</summary>
    internal static string? PageUrl(string? url)
    {
        if (url is null || url.StartsWith('#') || url.StartsWith('/') || Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            return url;
        }
        var hash = url.IndexOf('#', StringComparison.Ordinal);
        var path = hash < 0 ? url : url[..hash];
        var fragment = hash < 0 ? "" : url[hash..];
        if (path.StartsWith("./", StringComparison.Ordinal))
        {
            path = path[2..];
        }
        return path.EndsWith(".md", StringComparison.Ordinal) && !path.Contains('/', StringComparison.Ordinal)
            ? $"/articles/{path[..^3]}{fragment}"
            : url;
    }

    private static string PlainText(ContainerInline? inline)
    {
        var text = new StringBuilder();
        Append(inline, text);
        return string.Join(' ', text.ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    private static void Append(Inline? inline, StringBuilder text)
    {
        switch (inline)
        {
            case LiteralInline literal:
                text.Append(literal.Content.ToString());
                break;
            case CodeInline code:
                text.Append(code.Content);
                break;
            case LineBreakInline:
                text.Append(' ');
                break;
            case ContainerInline container:
                foreach (var child in container)
                {
                    Append(child, text);
                }
                break;
            default:
                break;
        }
    }
}
