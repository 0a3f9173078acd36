using System.Text;
using System.Text.Json;

namespace ContactDesk.Bench;

/// <summary>
/// Submissions as visitors send them, by message length and vocabulary, next to the same server's
/// bare-INSERT limit measured in the same run: every submission has a sender no ticket had (a new
/// name, a new address) and a new ticket number, so each one brings new tokens to the search
/// dictionary, as on a real installation.
/// </summary>
public static class SubmitVariants
{
    /// <summary>One measured set: where it ran, the limit, and each message kind.</summary>
    public sealed record Result(string Database, LoadResult Limit, List<LoadResult> Submits)
    {
        public double Ratio(LoadResult submits) => submits.PerSecond / Limit.PerSecond;
    }

    /// <summary>Name, words and whether the words are drawn from the same few for every ticket.</summary>
    private static readonly (string Name, int Words, bool Shared)[] Kinds =
    [
        ("20 words", 20, false),
        ("100 words", 100, false),
        ("1,000 words", 1000, false),
        ("100 words, nearly all shared with every ticket", 100, true),
    ];

    /// <summary>Everyday support vocabulary; a message draws from it with a few unique numbers mixed in.</summary>
    private static readonly string[] Vocabulary = """
        hello hi thanks thank you please help order invoice refund payment card account login password reset email address
        delivery package parcel shipping arrived late broken damaged missing wrong item size colour color return exchange
        week yesterday today tomorrow monday friday morning evening support team customer service reply answer question
        problem issue error page app website checkout basket cart discount code coupon subscription cancel renew plan
        price charge charged twice bank statement receipt number reference tracking courier address street city country
        phone call chat message sent received waiting still nothing since last month year again already tried cleared
        cache browser update version android iphone laptop screen button click shows blank loading slow crash export
        data report download upload file photo attached attachment screenshot kind regards best cheers sincerely could
        would should can will not never always sometimes maybe soon quickly urgent important really very much the a an
        and or but if when where why how what which who my your our their this that these those is are was were be been
        """.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The few words every "shared" message is made of.</summary>
    private static readonly string[] SharedWords = Vocabulary[..30];

    /// <summary>Warms the app's submission path, then measures the limit and each kind for <paramref name="duration"/>.</summary>
    public static async Task<Result> RunAsync(string database, ApiClient api, string connectionString, RunOptions options, CpuMeter cpu, string runTag)
    {
        await InsertLimit.PrepareAsync(connectionString);
        await FullBenchmark.ExecAsync(connectionString, "CHECKPOINT");
        var limit = await InsertLimit.RunAsync(connectionString, InsertLimit.Variant.InsertOnly, options.Clients, options.Duration,
            ContactForm.Pool(2000, seed: 7), cpu);
        FullBenchmark.Log($"{database}: {limit.Summary()}");
        await FullBenchmark.ExecAsync(connectionString, "DROP TABLE limit_tickets, limit_counters");

        var submits = new List<LoadResult>();
        var sequence = 0;
        foreach (var (name, words, shared) in Kinds)
        {
            var messages = Messages(words, shared, count: 500, seed: words + (shared ? 1 : 0));
            await FullBenchmark.ExecAsync(connectionString, "CHECKPOINT");
            var result = await LoadRunner.RunAsync($"submit, {name}", options.Clients, options.Duration, (_, ct) =>
            {
                var n = Interlocked.Increment(ref sequence);
                return api.SubmitAsync(Body(runTag, n, messages[n % messages.Length]), ct);
            }, cpu, TimeSpan.FromSeconds(submits.Count == 0 ? 30 : 3)); // the first also brings the submission path to fully optimized code (tiered JIT)
            submits.Add(result);
            FullBenchmark.Log($"{database}: {result.Summary()}; {result.PerSecond / limit.PerSecond:F2} of the limit");
        }
        return new Result(database, limit, submits);
    }

    /// <summary>A form from a sender no ticket had yet.</summary>
    private static byte[] Body(string runTag, int n, string message) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        name = $"Visitor {runTag}{n}",
        email = $"visitor.{runTag}{n}@example.org",
        subject = $"Question about order {runTag}-{n}",
        message,
        category = "general",
    });

    private static string[] Messages(int words, bool shared, int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var text = new StringBuilder(words * 8);
            for (var i = 0; i < words; i++)
            {
                // One word in twenty is a number a customer quotes (order, invoice, phone): mostly new tokens.
                var word = random.Next(20) == 0 ? random.Next(100_000, 9_999_999).ToString()
                    : shared ? SharedWords[random.Next(SharedWords.Length)] : Vocabulary[random.Next(Vocabulary.Length)];
                text.Append(word).Append(i % 15 == 14 ? ".\n" : " ");
            }
            return text.ToString().TrimEnd();
        }).ToArray();
    }
}
