using System.Net;
using ContactDesk.Tests.Infrastructure;
using Microsoft.Playwright;
using static ContactDesk.Tests.ModerationApiExtensions;
using static Microsoft.Playwright.Assertions;

namespace ContactDesk.Tests;

/// <summary>
/// The pages' security headers and cookies, over plain HTTP and in a real browser: no inline script,
/// no sniffing, no framing (but for the contact form, on the sites allowed to embed it), and CORS
/// only for those sites.
/// </summary>
public sealed class SecurityHeaderTests(ShopEmbedApp app) : IClassFixture<ShopEmbedApp>
{
    [Theory]
    [InlineData("/contact")]
    [InlineData("/contact?embed=1")]
    [InlineData("/admin/login")]
    [InlineData("/admin/denied")]
    [InlineData("/css/site.css")]
    [InlineData("/embed.js")]
    public async Task Public_responses_forbid_inline_script_and_sniffing(string path)
    {
        using var client = new HttpClient { BaseAddress = app.ServerAddress() };
        var response = await client.GetAsync(path);

        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Forbidden });
        AssertNoInlineScript(Csp(response));
        Assert.Equal("nosniff", Single(response, "X-Content-Type-Options"));
    }

    [Fact]
    public async Task Admin_pages_may_not_be_framed_and_run_no_inline_script()
    {
        var ticket = await app.SubmitAsync($"Headers {UniqueWord()}");
        var page = await app.SignInAsync(await app.CreateUserAsync("admin"));
        string[] paths = ["/admin", $"/admin/contact/{ticket.IdOf()}", "/admin/dashboard", "/admin/users", "/admin/emails", "/admin/sla", "/admin/login"];
        foreach (var path in paths)
        {
            var response = await page.GotoAsync(path);
            Assert.Equal(200, response!.Status);
            var headers = await response.AllHeadersAsync();
            var csp = Directives(headers["content-security-policy"]);
            AssertNoInlineScript(csp);
            Assert.Equal(["'none'"], csp["frame-ancestors"]);
            Assert.Equal("DENY", headers["x-frame-options"]);
            Assert.Equal("nosniff", headers["x-content-type-options"]);
        }
    }

    [Fact]
    public async Task The_auth_cookie_is_HttpOnly_and_SameSite()
    {
        var admin = await app.CreateUserAsync("admin");
        var page = await app.NewPageAsync();
        await page.GotoAsync("/admin/login");
        await page.GetByLabel("Email").FillAsync(admin.Email);
        await page.GetByLabel("Password").FillAsync(admin.Password);
        var signIn = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync(),
            r => r.Request.Method == "POST" && r.Url.Contains("/admin/login"));

        var setCookie = (await signIn.HeaderValuesAsync("set-cookie")).Single(c => c.StartsWith("contactdesk.auth=", StringComparison.Ordinal));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", setCookie, StringComparison.OrdinalIgnoreCase);

        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
        var cookies = await page.Context.CookiesAsync();
        var auth = cookies.Single(c => c.Name == "contactdesk.auth");
        Assert.True(auth.HttpOnly);
        Assert.Equal(SameSiteAttribute.Lax, auth.SameSite);
        var csrf = cookies.Single(c => c.Name == "contactdesk.csrf");
        Assert.True(csrf.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, csrf.SameSite);
        // Script on the page cannot read either.
        Assert.DoesNotContain("contactdesk", await page.EvaluateAsync<string>("() => document.cookie"));
    }

    [Fact]
    public async Task The_contact_form_may_be_framed_only_by_the_allowed_origins()
    {
        using var client = new HttpClient { BaseAddress = app.ServerAddress() };
        var response = await client.GetAsync("/contact?embed=1");
        Assert.Equal(["'self'", ShopEmbedApp.Shop], Csp(response)["frame-ancestors"]);
        Assert.False(response.Headers.Contains("X-Frame-Options"));

        // In the browser: the shop's page shows the form; another site's gets nothing.
        Assert.True(await FramedPageLoadsAsync(ShopEmbedApp.Shop, "/contact?embed=1"));
        Assert.False(await FramedPageLoadsAsync("https://evil.example", "/contact?embed=1"));
        Assert.False(await FramedPageLoadsAsync(ShopEmbedApp.Shop, "/admin/login"));
    }

    [Theory]
    [InlineData(ShopEmbedApp.Shop, true)]
    [InlineData("https://evil.example", false)]
    [InlineData("https://shop.example.evil.example", false)]
    public async Task A_CORS_preflight_for_submitting_is_allowed_only_from_the_allowed_origins(string origin, bool allowed)
    {
        using var client = new HttpClient { BaseAddress = app.ServerAddress() };
        var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/v1/contact/submit");
        preflight.Headers.Add("Origin", origin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type,idempotency-key");

        var response = await client.SendAsync(preflight);

        if (allowed)
        {
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}");
            Assert.Equal(origin, Single(response, "Access-Control-Allow-Origin"));
            Assert.Contains("POST", Single(response, "Access-Control-Allow-Methods"));
            var headers = Single(response, "Access-Control-Allow-Headers").ToLowerInvariant();
            Assert.Contains("content-type", headers);
            Assert.Contains("idempotency-key", headers);
            Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
        }
        else
        {
            Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        }
    }

    [Fact]
    public async Task The_admin_API_does_not_answer_other_sites_scripts()
    {
        using var client = new HttpClient { BaseAddress = app.ServerAddress() };
        var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/v1/contact/");
        preflight.Headers.Add("Origin", ShopEmbedApp.Shop);
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization");

        var response = await client.SendAsync(preflight);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    /// <summary>Whether <paramref name="path"/> shows up in an iframe on a page served by <paramref name="origin"/>.</summary>
    private async Task<bool> FramedPageLoadsAsync(string origin, string path)
    {
        // The shop is a public site and the app listens on loopback: Chromium asks the user first.
        var page = await app.NewPageAsync(new() { Permissions = ["local-network-access"] });
        var src = new Uri(app.ServerAddress(), path);
        await page.RouteAsync($"{origin}/**", route => route.FulfillAsync(new()
        {
            ContentType = "text/html",
            Body = $"<!DOCTYPE html><title>Shop</title><h1>Our shop</h1><iframe src=\"{src}\" width=\"600\" height=\"800\"></iframe>",
        }));
        await page.GotoAsync($"{origin}/contact-us"); // waits for the frame to load or fail
        var frame = page.Frames.Single(f => f.ParentFrame is not null);
        return frame.Url == src.ToString() && await frame.Locator("h1").CountAsync() == 1;
    }

    private static string Single(HttpResponseMessage response, string header) =>
        (response.Headers.TryGetValues(header, out var values) ? values
            : response.Content.Headers.TryGetValues(header, out var contentValues) ? contentValues : []).Single();

    private static Dictionary<string, string[]> Csp(HttpResponseMessage response) => Directives(Single(response, "Content-Security-Policy"));

    private static Dictionary<string, string[]> Directives(string csp) =>
        csp.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => d.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(d => d[0], d => d[1..]);

    private static void AssertNoInlineScript(Dictionary<string, string[]> csp)
    {
        var scripts = csp.TryGetValue("script-src", out var s) ? s : csp["default-src"];
        Assert.DoesNotContain("'unsafe-inline'", scripts);
        Assert.DoesNotContain("'unsafe-eval'", scripts);
        Assert.DoesNotContain("*", scripts);
        Assert.DoesNotContain("data:", scripts);
        Assert.Equal(["'none'"], csp["object-src"]);
        Assert.Equal(["'none'"], csp["base-uri"]);
    }
}
