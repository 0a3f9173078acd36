using System.Diagnostics;
using ContactDesk.Data;
using ContactDesk.KnowledgeBase;
using ContactDesk.Tests.Infrastructure;
using static ContactDesk.Tests.ModerationApiExtensions;

namespace ContactDesk.Tests.KnowledgeBase;

/// <summary>
/// On PostgreSQL suggestions come from an index each instance holds in memory: an article change made
/// through one instance is suggested by that instance at once and by another one shortly after.
/// </summary>
public sealed class SuggestionFreshnessTests
{
    [Fact]
    public async Task An_article_published_or_deleted_through_one_instance_reaches_the_other_instance_s_suggestions()
    {
        var database = DatabaseProbe.NewDatabase(DatabaseProvider.Postgres);
        await using var first = new AppOnDatabase(DatabaseProvider.Postgres, database.ConnectionString);
        await using var second = new AppOnDatabase(DatabaseProvider.Postgres, database.ConnectionString);
        var writer = (await first.CreateUserAsync("moderator")).Client;
        var word = UniqueWord();
        var visitorOfFirst = first.CreateClient();
        var visitorOfSecond = second.CreateClient();
        await writer.CreateArticleAsync("Shipping to islands", "Parcels to islands take a day longer.");
        Assert.Empty(await visitorOfSecond.SuggestAsync(word)); // the second instance has built its index

        var article = await writer.CreateArticleAsync($"Caring for {word} boots", "Wax them once a month.");
        var slug = (string)article["slug"]!;

        Assert.Equal([slug], await visitorOfFirst.SuggestAsync(word));
        await WaitUntilAsync(async () => (await visitorOfSecond.SuggestAsync(word)).SequenceEqual([slug]));

        await (await writer.DeleteAsync($"{KbApi.Articles}/{article["id"]}")).AssertStatusAsync(System.Net.HttpStatusCode.NoContent);
        Assert.Empty(await visitorOfFirst.SuggestAsync(word));
        await WaitUntilAsync(async () => (await visitorOfSecond.SuggestAsync(word)).Count == 0);
    }

    /// <summary>Polls for a little longer than the index's check interval.</summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var limit = SuggestionIndex.CheckEvery * 3;
        for (var clock = Stopwatch.StartNew(); ; await Task.Delay(100))
        {
            if (await condition())
            {
                return;
            }
            Assert.True(clock.Elapsed < limit, $"not seen by the other instance within {limit.TotalSeconds} s");
        }
    }
}
