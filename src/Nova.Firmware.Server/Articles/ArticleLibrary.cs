using System.Reflection;

namespace Nova.Firmware.Server.Articles;

/// <summary>
/// The support articles the server carries, read once from its embedded resources (their source
/// is docs/articles/*.md), so a deployed server needs no repository beside it.
/// </summary>
public sealed class ArticleLibrary
{
    public const string ResourcePrefix = "Nova.Firmware.Server.Articles.";

    private readonly Dictionary<string, Article> _bySlug;

    public ArticleLibrary(IEnumerable<Article> articles)
    {
        _bySlug = articles.ToDictionary(a => a.Slug, StringComparer.Ordinal);
        All = [.. _bySlug.Values.OrderBy(a => a.Title, StringComparer.Ordinal)];
    }

    /// <summary>Every article, by title.</summary>
    public IReadOnlyList<Article> All { get; }

    /// <summary>The article with exactly this slug (file name without ".md"), or null.</summary>
    public Article? Find(string slug) => _bySlug.GetValueOrDefault(slug);

    public static ArticleLibrary LoadEmbedded()
    {
        var assembly = typeof(ArticleLibrary).Assembly;
        var articles = new List<Article>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".md", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            articles.Add(ArticleRenderer.Render(name[ResourcePrefix.Length..^".md".Length], reader.ReadToEnd()));
        }
        return new ArticleLibrary(articles);
    }
}
