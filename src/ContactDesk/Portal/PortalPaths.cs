using System.Text.RegularExpressions;

namespace ContactDesk.Portal;

/// <summary>The portal's paths (its page and its API), whose token segment is a credential.</summary>
public static partial class PortalPaths
{
    public static bool Contains(PathString path) => path.StartsWithSegments("/t") || path.StartsWithSegments("/api/v1/portal");

    /// <summary>The path with a portal token blanked out: what may go into a log.</summary>
    public static string ForLog(PathString path) => Contains(path) ? Token().Replace(path.Value ?? "", "$1…") : path.Value ?? "";

    [GeneratedRegex("^(/t/|/api/v1/portal/)[^/]*", RegexOptions.IgnoreCase)]
    private static partial Regex Token();
}
