using System.Text.RegularExpressions;
using ContactDesk.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ContactDesk.Tests.Infrastructure;

/// <summary>Clients for the admin pages (cookie sign-in), over plain HTTP, without a browser.</summary>
public static partial class PageSession
{
    /// <summary>
    /// A client that sends the sign-in cookie of <paramref name="user"/> (none when null), made with the
    /// app's own cookie protector: what /admin/login hands out. It is made for a plain user too,
    /// whom the login page turns away, so that the pages' own policy is what the test meets.
    /// Redirects are not followed, so a test sees where it is sent.
    /// </summary>
    public static async Task<HttpClient> PageClientAsync(this ContactDeskApp app, TestUser? user, bool https = false)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false,
            HandleCookies = false,
            BaseAddress = new Uri(https ? "https://localhost" : "http://localhost"),
        });
        if (user is not null)
        {
            client.DefaultRequestHeaders.Add("Cookie", await AuthCookieAsync(app, user));
        }
        return client;
    }

    /// <summary>"contactdesk.auth=..." for <paramref name="user"/>.</summary>
    public static async Task<string> AuthCookieAsync(ContactDeskApp app, TestUser user)
    {
        using var scope = app.Services.CreateScope();
        var account = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByIdAsync(user.Id.ToString());
        var principal = await scope.ServiceProvider.GetRequiredService<SignInManager<AppUser>>().CreateUserPrincipalAsync(account!);
        var cookie = scope.ServiceProvider.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme);
        var now = DateTimeOffset.UtcNow;
        var ticket = new AuthenticationTicket(principal, new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now.AddHours(1) },
            IdentityConstants.ApplicationScheme);
        return $"{cookie.Cookie.Name}={cookie.TicketDataFormat.Protect(ticket)}";
    }

    /// <summary>The antiforgery token of the first form on a page, and the antiforgery cookie that goes with it.</summary>
    public static async Task<(string Token, string Cookie)> AntiforgeryAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        var token = TokenField().Match(html);
        Assert.True(token.Success, $"{path} has no antiforgery token");
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("contactdesk.csrf=", StringComparison.Ordinal));
        return (System.Net.WebUtility.HtmlDecode(token.Groups[1].Value), cookie.Split(';')[0]);
    }

    /// <summary>
    /// Posts the /admin/login form as a browser would: the form and its antiforgery cookie fetched
    /// through <paramref name="formFrom"/>, the post sent through <paramref name="postTo"/> (the
    /// same client, or another instance's).
    /// </summary>
    public static async Task<HttpResponseMessage> SignInOnPageAsync(HttpClient formFrom, HttpClient postTo, string email, string password)
    {
        var (token, csrf) = await AntiforgeryAsync(formFrom, "/admin/login");
        var form = new HttpRequestMessage(HttpMethod.Post, "/admin/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token, ["Email"] = email, ["Password"] = password,
            }),
        };
        form.Headers.Add("Cookie", csrf);
        return await postTo.SendAsync(form);
    }

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
