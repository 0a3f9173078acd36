using System.Text.RegularExpressions;
using ContactDesk.Data;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.KnowledgeBase;

/// <summary>
/// Full-text search over articles, ranked by relevance with the title above the body: PostgreSQL's
/// tsvector + GIN, SQLite's FTS5 (both made by the KnowledgeBase migrations). Words may come in any
/// order; each word also finds its stems and longer words it begins ("refunds" finds "refund",
/// "pass" finds "password").
/// </summary>
public interface IArticleSearch
{
    /// <summary>
    /// Ids of the matching articles, best first, at most <paramref name="limit"/>. <paramref name="anyWord"/>:
    /// an article matching any of the words counts (suggestions for a draft message); otherwise it must
    /// match all of them (the search box). Only published articles, and internal ones with <paramref name="includeInternal"/>.
    /// </summary>
    Task<List<Guid>> RankAsync(SearchWords words, bool anyWord, bool includeInternal, int limit, CancellationToken ct);
}

/// <summary>
/// The words of a user's query, reduced to runs of letters and digits: the only thing ever put
/// into full-text query syntax, so no user text can be read as an operator, a column filter or a quote.
/// </summary>
public sealed partial class SearchWords
{
    /// <summary>A long draft message yields many words; the first ones say enough to rank by.</summary>
    public const int MaxWords = 32;

    // Common English words that every article holds: as "any of these" they would match everything.
    private static readonly HashSet<string> StopWords =
    [
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "do", "for", "from", "has", "have", "hello", "hi",
        "how", "i", "if", "in", "into", "is", "it", "its", "me", "my", "no", "not", "of", "on", "or", "our", "please",
        "so", "that", "the", "their", "then", "there", "these", "they", "this", "to", "was", "we", "what", "when", "where",
        "which", "who", "why", "will", "with", "you", "your", "thanks", "dear", "am", "did", "does", "get", "got", "would", "could",
    ];

    /// <summary>Words shorter than this match only whole words: as prefixes they would match too much.</summary>
    public const int MinPrefixLength = 3;

    public IReadOnlyList<string> Words { get; }

    private SearchWords(IReadOnlyList<string> words) => Words = words;

    public bool IsEmpty => Words.Count == 0;

    public static SearchWords From(string? text) =>
        new(Word().Matches(text ?? "").Select(m => m.Value.ToLowerInvariant())
            .Where(w => !StopWords.Contains(w)).Distinct().Take(MaxWords).ToList());

    /// <summary>PostgreSQL <c>to_tsquery</c> text: <c>refund:* | order:*</c> (or <c>&amp;</c>).</summary>
    public string ToTsQuery(bool anyWord) =>
        string.Join(anyWord ? " | " : " & ", Words.Select(w => w.Length >= MinPrefixLength ? w + ":*" : w));

    /// <summary>SQLite FTS5 MATCH text: <c>"refund"* OR "order"*</c> (or implicit AND).</summary>
    public string ToFts5(bool anyWord) =>
        string.Join(anyWord ? " OR " : " ", Words.Select(w => w.Length >= MinPrefixLength ? $"\"{w}\"*" : $"\"{w}\""));

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex Word();
}

public sealed class PostgresArticleSearch(AppDbContext db) : IArticleSearch
{
    // search_vector: setweight(title, 'A') || setweight(body_text, 'B'), stored and GIN-indexed.
    // ts_rank_cd normalization 1 divides by the log of the length, so a short article that is about
    // the words outranks a long one that mentions them once.
    public Task<List<Guid>> RankAsync(SearchWords words, bool anyWord, bool includeInternal, int limit, CancellationToken ct) =>
        words.IsEmpty ? Task.FromResult(new List<Guid>()) : db.Database.SqlQuery<Guid>($"""
            SELECT a.id AS "Value"
            FROM kb_articles a, to_tsquery('english', {words.ToTsQuery(anyWord)}) query
            WHERE a.search_vector @@ query
              AND (a.status = 'published' OR ({includeInternal} AND a.status = 'internal'))
            ORDER BY ts_rank_cd(a.search_vector, query, 1) DESC, a.updated_at DESC
            LIMIT {limit}
            """).ToListAsync(ct);
}

public sealed class SqliteArticleSearch(AppDbContext db) : IArticleSearch
{
    // kb_fts (porter stemmer) is kept in step with kb_articles by triggers. bm25 weighs the title ten
    // times the body; it ranks rarer words and more matches higher. Lower is better.
    public Task<List<Guid>> RankAsync(SearchWords words, bool anyWord, bool includeInternal, int limit, CancellationToken ct) =>
        words.IsEmpty ? Task.FromResult(new List<Guid>()) : db.Database.SqlQuery<Guid>($"""
            SELECT a.id AS "Value"
            FROM kb_fts JOIN kb_articles a ON a.id = kb_fts.article_id
            WHERE kb_fts MATCH {words.ToFts5(anyWord)}
              AND (a.status = 'published' OR ({includeInternal} AND a.status = 'internal'))
            ORDER BY bm25(kb_fts, 0.0, 10.0, 1.0), a.updated_at DESC
            LIMIT {limit}
            """).ToListAsync(ct);
}
