using System.Collections.Concurrent;
using ContactDesk.Data;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.KnowledgeBase;

/// <summary>
/// The contact form's suggestions on PostgreSQL, answered from memory. A draft's words are "any of
/// these", so in the database every query matched hundreds of articles and each match's vector was
/// read and ranked: tens of milliseconds per keystroke. Here the published articles' lexemes (the
/// same <c>search_vector</c> the database search uses, so the same English stems) are held as an
/// inverted index and ranked with BM25 (title counted ten times, as SQLite's FTS5 ranking does): more
/// and rarer matching words rank higher, and a suggestion costs microseconds and no database round trip.
/// <para>
/// Freshness: this instance's own article changes are seen at once (<see cref="Changed"/>); another
/// instance's within <see cref="CheckEvery"/>, when a cheap summary of the articles table differs.
/// </para>
/// </summary>
public sealed class SuggestionIndex(IServiceScopeFactory scopes, TimeProvider clock)
{
    public static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(2);

    // BM25's usual constants; the title weighs as much as ten body words.
    private const double K1 = 1.2, B = 0.75, TitleWeight = 10;

    /// <summary>Query words and their lexemes; a draft's vocabulary is small, but bounded all the same.</summary>
    private const int StemCacheMax = 50_000;

    private readonly ConcurrentDictionary<string, string[]> stems = new();
    private readonly Lock gate = new();
    private Snapshot? snapshot;
    private Task<Snapshot>? building;
    private long nextCheck;

    /// <summary>Called after this instance changed an article: the next suggestion reads the articles again.</summary>
    public void Changed() => Interlocked.Exchange(ref nextCheck, 0);

    public async Task<List<Suggestion>> SuggestAsync(AppDbContext db, SearchWords words, int max, CancellationToken ct)
    {
        if (words.IsEmpty)
        {
            return [];
        }
        var index = await CurrentAsync(db, ct);
        var lexemes = await LexemesAsync(db, words, ct);
        return index.Rank(words.Words.Select(w => (lexemes[w], w.Length >= SearchWords.MinPrefixLength)), max);
    }

    private async Task<Snapshot> CurrentAsync(AppDbContext db, CancellationToken ct)
    {
        var now = clock.GetTimestamp();
        var current = snapshot;
        if (current is not null && now < Interlocked.Read(ref nextCheck))
        {
            return current;
        }
        var stamp = await StampAsync(db, ct);
        Interlocked.Exchange(ref nextCheck, now + (long)(CheckEvery.TotalSeconds * clock.TimestampFrequency));
        if (current is not null && current.Stamp == stamp)
        {
            return current;
        }
        while (true)
        {
            Task<Snapshot> build;
            lock (gate)
            {
                // One rebuild at a time; requests arriving meanwhile wait for the same one.
                if (building is null || building.IsFaulted || building.IsCompletedSuccessfully && building.Result.Stamp != stamp)
                {
                    building = BuildAsync(stamp);
                }
                build = building;
            }
            var built = await build.WaitAsync(ct);
            snapshot = built;
            // A rebuild already under way when the articles changed again is followed by another.
            if (built.Stamp == stamp)
            {
                return built;
            }
        }
    }

    /// <summary>Changes with every insert, update (the version grows) and delete of an article.</summary>
    private static async Task<string> StampAsync(AppDbContext db, CancellationToken ct) =>
        (await db.Database.SqlQueryRaw<string>("""
            SELECT count(*)::text || '/' || coalesce(sum(version), 0)::text || '/' || coalesce(max(updated_at)::text, '') AS "Value"
            FROM kb_articles
            """).ToListAsync(ct)).Single();

    private async Task<Snapshot> BuildAsync(string stamp)
    {
        // Its own context: the request that started the build may finish (and dispose its own) first.
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var articles = await db.Articles.AsNoTracking().Where(a => a.Status == ArticleStatus.Published)
            .Select(a => new { a.Id, a.Slug, a.Title, Start = a.BodyText.Substring(0, 400), a.UpdatedAt })
            .ToListAsync(CancellationToken.None);
        var rows = await db.Database.SqlQueryRaw<LexemeRow>("""
            SELECT a.id AS article_id, u.lexeme, cardinality(u.positions) AS count,
                   cardinality(array_positions(u.weights, 'A')) AS title_count
            FROM kb_articles a CROSS JOIN LATERAL unnest(a.search_vector) u
            WHERE a.status = 'published'
            """).ToListAsync(CancellationToken.None);
        var docs = articles.Select(a => new Doc(a.Id, a.Slug, a.Title, ArticleRenderer.Excerpt(a.Start, 160), a.UpdatedAt)).ToArray();
        return Snapshot.Build(stamp, docs, rows);
    }

    /// <summary>Each query word's lexemes, as the 'english' configuration makes them (a stop word has none).</summary>
    private async Task<Dictionary<string, string[]>> LexemesAsync(AppDbContext db, SearchWords words, CancellationToken ct)
    {
        var unknown = words.Words.Where(w => !stems.ContainsKey(w)).ToArray();
        if (unknown.Length > 0)
        {
            var found = await db.Database.SqlQuery<StemRow>($"""
                SELECT w AS word, coalesce(array_to_string(tsvector_to_array(to_tsvector('english', w)), ' '), '') AS lexemes
                FROM unnest({unknown}) w
                """).ToListAsync(ct);
            if (stems.Count > StemCacheMax)
            {
                stems.Clear();
            }
            foreach (var row in found)
            {
                stems[row.Word] = row.Lexemes.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            }
        }
        return words.Words.ToDictionary(w => w, w => stems.TryGetValue(w, out var l) ? l : []);
    }

    private sealed record LexemeRow(Guid ArticleId, string Lexeme, int Count, int? TitleCount);

    private sealed record StemRow(string Word, string Lexemes);

    private sealed record Doc(Guid Id, string Slug, string Title, string Excerpt, DateTime UpdatedAt);

    private readonly record struct Posting(int Doc, float Frequency);

    /// <summary>An immutable index of the published articles as they were when <see cref="Stamp"/> was read.</summary>
    private sealed class Snapshot(string stamp, Doc[] docs, string[] lexemes, Posting[][] postings, double[] lengths, double averageLength)
    {
        public string Stamp => stamp;

        public static Snapshot Build(string stamp, Doc[] docs, List<LexemeRow> rows)
        {
            var number = docs.Select((d, i) => (d.Id, i)).ToDictionary(p => p.Id, p => p.i);
            var lengths = new double[docs.Length];
            var byLexeme = new SortedDictionary<string, List<Posting>>(StringComparer.Ordinal);
            foreach (var row in rows)
            {
                // An article published after the articles were read waits for the next stamp check.
                if (!number.TryGetValue(row.ArticleId, out var doc))
                {
                    continue;
                }
                var title = row.TitleCount ?? 0;
                var frequency = (float)(TitleWeight * title + (row.Count - title));
                lengths[doc] += frequency;
                if (!byLexeme.TryGetValue(row.Lexeme, out var list))
                {
                    byLexeme[row.Lexeme] = list = [];
                }
                list.Add(new Posting(doc, frequency));
            }
            var average = docs.Length == 0 ? 1 : Math.Max(1, lengths.Average());
            return new Snapshot(stamp, docs, [.. byLexeme.Keys], [.. byLexeme.Values.Select(l => l.ToArray())], lengths, average);
        }

        /// <param name="terms">Per query word: its lexemes and whether longer words beginning with them count too.</param>
        public List<Suggestion> Rank(IEnumerable<(string[] Lexemes, bool Prefix)> terms, int max)
        {
            var scores = new Dictionary<int, double>();
            var frequencies = new Dictionary<int, float>();
            foreach (var (words, prefix) in terms)
            {
                frequencies.Clear();
                foreach (var word in words)
                {
                    foreach (var posting in Matching(word, prefix).SelectMany(i => postings[i]))
                    {
                        frequencies[posting.Doc] = frequencies.GetValueOrDefault(posting.Doc) + posting.Frequency;
                    }
                }
                // A word in many articles says little about which one is meant: rarer words weigh more.
                var idf = Math.Log(1 + (docs.Length - frequencies.Count + 0.5) / (frequencies.Count + 0.5));
                foreach (var (doc, frequency) in frequencies)
                {
                    var norm = K1 * (1 - B + B * lengths[doc] / averageLength);
                    scores[doc] = scores.GetValueOrDefault(doc) + idf * frequency * (K1 + 1) / (frequency + norm);
                }
            }
            return [.. scores.OrderByDescending(s => s.Value).ThenByDescending(s => docs[s.Key].UpdatedAt).Take(max)
                .Select(s => new Suggestion(docs[s.Key].Slug, docs[s.Key].Title, docs[s.Key].Excerpt))];
        }

        /// <summary>The positions of <paramref name="word"/>, or of every lexeme beginning with it, in the sorted lexemes.</summary>
        private IEnumerable<int> Matching(string word, bool prefix)
        {
            var i = Array.BinarySearch(lexemes, word, StringComparer.Ordinal);
            if (!prefix)
            {
                if (i >= 0)
                {
                    yield return i;
                }
                yield break;
            }
            for (i = i >= 0 ? i : ~i; i < lexemes.Length && lexemes[i].StartsWith(word, StringComparison.Ordinal); i++)
            {
                yield return i;
            }
        }
    }
}
