using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ContactDesk.Tests.Infrastructure;

namespace ContactDesk.Tests.KnowledgeBase;

/// <summary>Requests of the knowledge-base API that the tests make again and again.</summary>
public static class KbApi
{
    public const string Articles = "/api/v1/kb/articles";

    /// <summary>POSTs an article and expects 201.</summary>
    public static async Task<JsonObject> CreateArticleAsync(this HttpClient moderator, string title, string body,
        string status = "published", string category = "General", string? slug = null)
    {
        var response = await moderator.PostAsJsonAsync(Articles, new { title, body_markdown = body, status, category, slug });
        await response.AssertStatusAsync(HttpStatusCode.Created);
        return await response.ReadObjectAsync();
    }

    public static Task<HttpResponseMessage> PatchArticleAsync(this HttpClient client, string id, object body, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, $"{Articles}/{id}") { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        return client.SendAsync(request);
    }

    /// <summary>The slugs <c>/api/v1/kb/suggest</c> returns for <paramref name="q"/>, best first.</summary>
    public static async Task<List<string>> SuggestAsync(this HttpClient client, string q)
    {
        var response = await client.GetAsync($"/api/v1/kb/suggest?q={Uri.EscapeDataString(q)}");
        await response.AssertStatusAsync(HttpStatusCode.OK);
        return (await response.ReadArrayAsync()).Select(s => (string)s!["slug"]!).ToList();
    }

    /// <summary>The slugs of the first page of <c>/api/v1/kb/articles?search=</c>, best first.</summary>
    public static async Task<List<string>> SearchAsync(this HttpClient client, string search)
    {
        var page = await client.GetObjectAsync($"{Articles}?search={Uri.EscapeDataString(search)}");
        return page["items"]!.AsArray().Select(s => (string)s!["slug"]!).ToList();
    }

    /// <summary>A client that does not follow redirects, to see a 301 itself.</summary>
    public static HttpClient NoRedirects(this ContactDeskApp app) =>
        app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
}
