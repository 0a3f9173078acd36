using ContactDesk.Tests.Infrastructure;

namespace ContactDesk.Tests.KnowledgeBase;

/// <summary>A few realistic published articles for the screenshots, written once per app.</summary>
public static class KbShowcase
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public static async Task SeedAsync(ContactDeskApp app)
    {
        await Gate.WaitAsync();
        try
        {
            if ((await app.CreateClient().SearchAsync("refund")).Count > 0)
            {
                return;
            }
            var moderator = await app.ClientForAsync("moderator");
            var categories = new[] { "Orders", "Account", "Orders", "Orders", "Billing", "Account", "Account", "Billing" };
            for (var i = 0; i < 8; i++)
            {
                var (title, body) = SearchQualityCorpus.Articles[i];
                await moderator.CreateArticleAsync(title, body, category: categories[i]);
            }
            await moderator.CreateArticleAsync("Return a damaged item", SearchQualityCorpus.Articles[9].Body, category: "Orders");
        }
        finally
        {
            Gate.Release();
        }
    }
}
