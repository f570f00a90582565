namespace Nova.Firmware.Server.Articles;

/// <summary>
/// A support article: Markdown kept in the repository (docs/articles) and embedded in the server,
/// with its HTML and the anchors of its sections, which stay stable because links point at them.
/// </summary>
public sealed record Article(string Slug, string Title, string Summary, string Markdown, string Html, IReadOnlyList<ArticleSection> Sections)
{
    public bool HasAnchor(string anchor) => Sections.Any(s => s.Anchor == anchor);
}

/// <summary>A heading of an article: <see cref="Anchor"/> is its HTML id (GitHub style, so the same link works on the repository's Markdown).</summary>
public sealed record ArticleSection(string Anchor, string Title, int Level);
