using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ContactDesk.Tests.Infrastructure;
using Microsoft.Playwright;
using static ContactDesk.Tests.ModerationApiExtensions;
using static Microsoft.Playwright.Assertions;

namespace ContactDesk.Tests;

/// <summary>
/// The portal page in a real browser: opened from the link in the real confirmation email, answered
/// without JavaScript (with a file), resolved and reopened; markup in every field stays text.
/// </summary>
public sealed partial class PortalPageTests(PortalPageTests.App app) : IClassFixture<PortalPageTests.App>
{
    private const string Script = "<script>alert(1)</script>";
    private const string Image = "<img src=x onerror=alert(1)>";

    [Fact]
    public async Task Without_javascript_the_submitter_answers_with_a_file_resolves_and_reopens()
    {
        var moderator = await app.CreateUserAsync("moderator", "Maria Keller");
        var email = $"page-{Guid.NewGuid():N}@example.com";
        var ticket = await app.SubmitAsync(subject: "Parcel damaged", message: "The box arrived crushed.", email: email);
        var path = await LinkPathAsync(email, (string)ticket["ticket_number"]!);
        var page = await app.NewPageAsync(new() { JavaScriptEnabled = false });

        var response = await page.GotoAsync(path);
        Assert.Equal("no-referrer", await response!.HeaderValueAsync("referrer-policy"));
        Assert.Equal("noindex", await response.HeaderValueAsync("x-robots-tag"));
        await Expect(page.Locator("#ticket-number")).ToHaveTextAsync((string)ticket["ticket_number"]!);
        await Expect(page.Locator("#status")).ToHaveTextAsync("Pending");
        await Expect(page.Locator("#thread > li")).ToHaveCountAsync(1);

        await page.GetByLabel("Your message").FillAsync("Here is a photo of the box.");
        await page.GetByLabel("Files").SetInputFilesAsync(new FilePayload { Name = "box.png", MimeType = "image/png", Buffer = MultipartBody.Png });
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(new Regex("Your message was added"));
        await Expect(page.Locator("#thread > li")).ToHaveCountAsync(2);
        await Expect(page.Locator("#thread > li").Last).ToContainTextAsync("Here is a photo of the box.");
        await Expect(page.Locator("#thread > li").Last.GetByRole(AriaRole.Link, new() { Name = "box.png" })).ToBeVisibleAsync();

        // The moderator sees it in the thread, with its file.
        var thread = await moderator.Client.GetFromJsonAsync<JsonArray>($"{Contact}/{ticket["id"]}/messages");
        Assert.Equal("portal", (string)thread![1]!["source"]!);
        Assert.Equal("box.png", (string)thread[1]!["attachments"]![0]!["filename"]!);

        await page.GetByRole(AriaRole.Button, new() { Name = "This is solved" }).ClickAsync();
        await Expect(page.Locator("#status")).ToHaveTextAsync("Resolved");
        await page.GetByRole(AriaRole.Button, new() { Name = "Reopen" }).ClickAsync();
        await Expect(page.Locator("#status")).ToHaveTextAsync("Pending");
        Assert.Equal("pending", (string)(await moderator.Client.GetObjectAsync($"{Contact}/{ticket["id"]}"))["status"]!);

        // A bot that fills the hidden honeypot field is told all went well; nothing is stored.
        await page.GetByLabel("Your message").FillAsync("Cheap watches");
        await page.Locator("#website").FillAsync("http://spam.example", new() { Force = true });
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(new Regex("Your message was added"));
        await Expect(page.Locator("#thread > li")).ToHaveCountAsync(2);

        // An empty message is a field error on the page, and stores nothing.
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Expect(page.Locator("#body-error")).ToBeVisibleAsync();
        Assert.Equal(2, (await moderator.Client.GetFromJsonAsync<JsonArray>($"{Contact}/{ticket["id"]}/messages"))!.Count);

        // A regenerated link revokes this one.
        await moderator.Client.PostAsync($"{Contact}/{ticket["id"]}/portal-link", null);
        var gone = await page.GotoAsync(path);
        Assert.Equal(404, gone!.Status);
    }

    [Fact]
    public async Task Markup_in_every_field_is_shown_as_text_and_never_runs()
    {
        var moderator = await app.CreateUserAsync("moderator", $"{Script}{Image}");
        var subject = $"{Script} {Image}";
        var ticket = await app.SubmitAsync(subject: subject, message: $"{Image}\n{Script}", name: Image);
        var reply = await moderator.Client.PostAsync($"{Contact}/{ticket["id"]}/messages",
            MultipartBody.Form(new { kind = "reply", body = $"{Script} answer" }, ($"{Image}.txt", "x"u8.ToArray())));
        reply.EnsureSuccessStatusCode();
        var link = await (await moderator.Client.PostAsync($"{Contact}/{ticket["id"]}/portal-link", null)).ReadObjectAsync();
        var page = await app.NewPageAsync();

        await page.GotoAsync(new Uri((string)link["url"]!).PathAndQuery);
        await Expect(page.Locator("#subject")).ToHaveTextAsync(subject);
        await page.GetByLabel("Your message").FillAsync($"{Image} from the portal");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToBeVisibleAsync();

        var messages = page.Locator("#thread > li");
        await Expect(messages.Nth(0).Locator(".message")).ToHaveTextAsync($"{Image}\n{Script}");
        await Expect(messages.Nth(1).Locator(".message")).ToHaveTextAsync($"{Script} answer");
        await Expect(messages.Nth(1).Locator(".who strong")).ToHaveTextAsync($"{Script}{Image}");
        await Expect(messages.Nth(1).Locator(".files a")).ToHaveTextAsync($"{Image}.txt");
        await Expect(messages.Nth(2).Locator(".message")).ToHaveTextAsync($"{Image} from the portal");
        await page.WaitForLoadStateAsync(LoadState.Load);
        Assert.Equal(0, await page.Locator("main img, main script").CountAsync());
        // The only script is the site's own (local times, focus after an error), versioned.
        var scripts = await page.Locator("script").EvaluateAllAsync<string[]>("s => s.map(e => e.src)");
        Assert.All(scripts, src => Assert.Matches(@"/js/pages\.js\?v=", src));
        Assert.Empty(app.Dialogs);
    }

    [Fact]
    public async Task A_moderator_sends_a_new_link_from_the_ticket_page_and_the_old_one_stops_working()
    {
        var moderator = await app.CreateUserAsync("moderator");
        var email = $"relink-{Guid.NewGuid():N}@example.com";
        var ticket = await app.SubmitAsync(email: email);
        var number = (string)ticket["ticket_number"]!;
        var old = await LinkPathAsync(email, number);
        var page = await app.SignInAsync(moderator);

        await page.GotoAsync($"/admin/contact/{ticket["id"]}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send a new portal link" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("new portal link was emailed");
        Assert.EndsWith($"/admin/contact/{ticket["id"]}", page.Url);

        Assert.Equal(HttpStatusCode.NotFound, (await app.CreateClient().GetAsync(old)).StatusCode);
        bool NewLink(ReceivedEmail m) => m.To == email && m.Subject.Contains(number) && m.Subject.Contains("new link");
        var mail = (await app.Smtp.WaitUntilAsync(r => r.Any(NewLink))).Single(NewLink);
        var fresh = PortalLink().Match(mail.Message.TextBody!).Groups[1].Value;
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().GetAsync(fresh)).StatusCode);
    }

    [Fact]
    public async Task A_plain_account_signs_in_at_my_login_and_sees_its_own_tickets_but_not_the_admin_pages()
    {
        var user = await app.CreateUserAsync("user", "Una User");
        var word = UniqueWord();
        (await user.Client.PostAsJsonAsync($"{Contact}/submit", new { subject = $"Mine {word}", message = "Hello." })).EnsureSuccessStatusCode();
        var page = await app.NewPageAsync(new() { JavaScriptEnabled = false });

        await page.GotoAsync("/my/tickets");
        Assert.EndsWith("/my/login", page.Url);
        await page.GetByLabel("Email").FillAsync(user.Email);
        await page.GetByLabel("Password").FillAsync("wrong");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.Locator("#login-error")).ToHaveTextAsync("Wrong email or password.");
        await page.GetByLabel("Email").FillAsync(user.Email);
        await page.GetByLabel("Password").FillAsync(user.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.Locator(".my-ticket h2")).ToContainTextAsync($"Mine {word}");

        await page.GotoAsync("/admin");
        Assert.Contains("/admin/denied", page.Url);
        await page.GotoAsync("/my/tickets");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        Assert.EndsWith("/my/login", page.Url);
    }

    /// <summary>The portal path in the confirmation email received for the ticket.</summary>
    private async Task<string> LinkPathAsync(string email, string number)
    {
        bool Confirmation(ReceivedEmail m) => m.To == email && m.Subject.Contains(number) && m.Subject.Contains("We received");
        var confirmation = (await app.Smtp.WaitUntilAsync(r => r.Any(Confirmation))).Single(Confirmation);
        var link = PortalLink().Match(confirmation.Message.TextBody!);
        Assert.True(link.Success, confirmation.Message.TextBody);
        return link.Groups[1].Value;
    }

    [GeneratedRegex("https://desk\\.example\\.org(/t/[a-z2-7]{32})")]
    private static partial Regex PortalLink();

    /// <summary>The browser app, sending its email to a real SMTP server of its own.</summary>
    public sealed class App : BrowserApp, IMailApp
    {
        public TestSmtpServer Smtp { get; } = new();

        ContactDeskApp IMailApp.App => this;

        protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [.. base.Settings(), .. IMailApp.Settings(Smtp)];

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            await Smtp.DisposeAsync();
        }
    }
}
