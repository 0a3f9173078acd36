namespace ContactDesk.Moderation;

/// <summary>An <c>If-Match</c> header: <c>*</c> or a list of (possibly weak) ETags such as <c>"3"</c>.</summary>
public sealed class IfMatch
{
    private readonly HashSet<string>? tags;

    private IfMatch(HashSet<string>? tags) => this.tags = tags;

    public static IfMatch? From(HttpRequest request)
    {
        var header = request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }
        if (header.Trim() == "*")
        {
            return new IfMatch(null);
        }
        var values = header.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(tag => tag.StartsWith("W/", StringComparison.Ordinal) ? tag[2..] : tag);
        return new IfMatch([.. values]);
    }

    /// <summary>Matches only this version: what a form rendered at that version expects.</summary>
    public static IfMatch ForVersion(int version) => new([$"\"{version}\""]);

    public bool Matches(int version) => tags is null || tags.Contains($"\"{version}\"");
}
