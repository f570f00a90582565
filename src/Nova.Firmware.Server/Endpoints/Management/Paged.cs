namespace Nova.Firmware.Server.Endpoints.Management;

/// <summary>One page of a list; <see cref="Total"/> counts every match, not just this page.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);

/// <summary>
/// The paging query every paged list endpoint accepts: 1-based page, bounded page size. Out of range
/// is refused (400 naming the field), never clamped: after <see cref="Check"/> passes,
/// <c>(page - 1) * pageSize</c> fits an int, so callers compute the offset without guarding it again.
/// </summary>
public static class Paging
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    /// <summary>The largest offset a page may start at: (page - 1) * pageSize must stay an int.</summary>
    public const int MaxOffset = int.MaxValue;

    public static Dictionary<string, string[]> Check(int? page, int? pageSize, out int resolvedPage, out int resolvedPageSize)
    {
        var errors = new Dictionary<string, string[]>();
        resolvedPage = page ?? 1;
        resolvedPageSize = pageSize ?? DefaultPageSize;
        if (resolvedPage < 1)
        {
            errors["page"] = ["Must be 1 or more."];
        }
        if (resolvedPageSize is < 1 or > MaxPageSize)
        {
            errors["pageSize"] = [$"Must be between 1 and {MaxPageSize}."];
        }
        else if (resolvedPage >= 1 && ((long)resolvedPage - 1) * resolvedPageSize > MaxOffset)
        {
            // Refused rather than clamped or wrapped: (page - 1) * pageSize would overflow the offset.
            errors["page"] = [$"Too large: page {resolvedPage} of {resolvedPageSize} items starts beyond the last item any list can have."];
        }
        return errors;
    }
}
