namespace Nova.Firmware.Domain.Packages;

/// <summary>
/// Orders vendor version strings the way people read them: runs of digits compare as numbers
/// ("1.10" after "1.9"), other runs compare as text ignoring case. Good enough to pick the newest
/// package; it makes no claim about what a vendor means by "rc" or "beta".
/// </summary>
public sealed class PackageVersionComparer : IComparer<string>
{
    public static readonly PackageVersionComparer Instance = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }
        if (x is null)
        {
            return -1;
        }
        if (y is null)
        {
            return 1;
        }
        int i = 0, j = 0;
        while (i < x.Length && j < y.Length)
        {
            var a = NextRun(x, ref i);
            var b = NextRun(y, ref j);
            var bothNumbers = char.IsAsciiDigit(a[0]) && char.IsAsciiDigit(b[0]);
            var order = bothNumbers ? CompareNumbers(a, b) : string.Compare(a, b, StringComparison.OrdinalIgnoreCase);
            if (order != 0)
            {
                return order;
            }
        }
        return (x.Length - i).CompareTo(y.Length - j);
    }

    private static string NextRun(string s, ref int index)
    {
        var start = index;
        var digits = char.IsAsciiDigit(s[index]);
        while (index < s.Length && char.IsAsciiDigit(s[index]) == digits)
        {
            index++;
        }
        return s[start..index];
    }

    private static int CompareNumbers(string a, string b)
    {
        var trimmedA = a.TrimStart('0');
        var trimmedB = b.TrimStart('0');
        return trimmedA.Length != trimmedB.Length
            ? trimmedA.Length.CompareTo(trimmedB.Length)
            : string.Compare(trimmedA, trimmedB, StringComparison.Ordinal);
    }
}
