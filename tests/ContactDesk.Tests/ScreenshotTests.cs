using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactDesk.Tests.Infrastructure;
using Microsoft.Playwright;
using static ContactDesk.Tests.ModerationApiExtensions;
using static Microsoft.Playwright.Assertions;

namespace ContactDesk.Tests;

/// <summary>
/// Full-page screenshots of the main pages with realistic tickets, for the documentation: set
/// CONTACTDESK_SCREENSHOTS to the repository's docs/screenshots folder to refresh them there
/// (otherwise they go to a temporary folder). Each page must render, styled, without a console error.
/// </summary>
public sealed class ScreenshotTests(ScreenshotTests.ShowcaseApp app) : IClassFixture<ScreenshotTests.ShowcaseApp>
{
    private static readonly string Folder = Environment.GetEnvironmentVariable("CONTACTDESK_SCREENSHOTS") is { Length: > 0 } folder
        ? folder
        : Directory.CreateTempSubdirectory("contactdesk-screenshots-").FullName;

    private static readonly ViewportSize Desktop = new() { Width = 1280, Height = 900 };

    private static BrowserNewContextOptions Phone => new() { ViewportSize = new() { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true };

    [Fact]
    public async Task Contact_form()
    {
        var page = await OpenAsync(new() { ViewportSize = Desktop });
        await page.GotoAsync("/contact");
        await Expect(page.Locator("main form")).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Message")).ToBeVisibleAsync();
        await SaveAsync(page, "contact.png");
    }

    [Fact]
    public async Task Contact_form_on_a_phone()
    {
        var page = await OpenAsync(Phone);
        await page.GotoAsync("/contact");
        await Expect(page.Locator("main form")).ToBeVisibleAsync();
        await AssertFitsThePhoneAsync(page, "Message");
        await SaveAsync(page, "contact-phone.png");
    }

    [Fact]
    public async Task Queue()
    {
        var showcase = await app.ShowcaseAsync();
        var page = await SignInAsync(showcase.Moderator);
        await page.GotoAsync("/admin");
        await Expect(page.Locator("main table tbody tr[data-ticket]")).ToHaveCountAsync(showcase.Tickets.Count - 1); // one is archived
        await Expect(page.Locator("main .badge.resolved").First).ToBeVisibleAsync();
        await SaveAsync(page, "queue.png");
    }

    [Fact]
    public async Task Queue_on_a_phone()
    {
        var showcase = await app.ShowcaseAsync();
        var page = await app.SignInAsync(showcase.Moderator, Phone);
        Watch(page);
        await page.GotoAsync("/admin");
        await Expect(page.Locator("main table tbody tr[data-ticket]")).ToHaveCountAsync(showcase.Tickets.Count - 1);
        // The rows are cards: the table fits the screen, nothing scrolls sideways.
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 390);
        Assert.True(await page.Locator(".table-wrap").EvaluateAsync<bool>("e => e.scrollWidth <= e.clientWidth"));
        await SaveAsync(page, "queue-phone.png");
    }

    [Fact]
    public async Task Ticket_page()
    {
        var showcase = await app.ShowcaseAsync();
        var page = await SignInAsync(showcase.Moderator);
        await OpenFeaturedAsync(page, showcase);
        await SaveAsync(page, "ticket.png");
    }

    [Fact]
    public async Task Ticket_page_on_a_phone()
    {
        var showcase = await app.ShowcaseAsync();
        var page = await app.SignInAsync(showcase.Moderator, new() { ViewportSize = new() { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true });
        Watch(page);
        await OpenFeaturedAsync(page, showcase);
        // Nothing sticks out sideways: the thread and the reply box fit the screen.
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 390);
        await SaveAsync(page, "ticket-phone.png");
    }

    /// <summary>The featured ticket with its thread (customer message, internal note, reply with a file), its email sent.</summary>
    private static async Task OpenFeaturedAsync(IPage page, Showcase showcase)
    {
        await page.GotoAsync($"/admin/contact/{showcase.Featured.IdOf()}");
        await Expect(page.Locator("main #thread article")).ToHaveCountAsync(3);
        await Expect(page.Locator("main #thread .msg.reply .files a")).ToHaveTextAsync("card-payments-at.pdf");
        // The reply's email leaves within a poll or two; the picture shows it sent.
        for (var tries = 0; await page.Locator("main .delivery").TextContentAsync() != "Email sent" && tries < 60; tries++)
        {
            await Task.Delay(250);
            await page.ReloadAsync();
        }
        await Expect(page.Locator("main .delivery")).ToHaveTextAsync("Email sent");
    }

    [Fact]
    public async Task Dashboard()
    {
        var showcase = await app.ShowcaseAsync();
        var page = await SignInAsync(showcase.Moderator);
        await page.GotoAsync("/admin/dashboard");
        await Expect(page.Locator("main #per-day-chart rect.bar")).ToHaveCountAsync(30);
        await Expect(page.Locator("main #stat-total")).ToHaveTextAsync(showcase.Tickets.Count.ToString());
        await SaveAsync(page, "dashboard.png");
    }

    [Fact]
    public async Task Portal_on_a_phone()
    {
        var path = await PortalAsync();
        var page = await OpenAsync(Phone);
        await page.GotoAsync(path);
        await Expect(page.Locator("#thread > li")).ToHaveCountAsync(4);
        await AssertFitsThePhoneAsync(page, "Your message");
        await SaveAsync(page, "portal-phone.png");
    }

    [Fact]
    public async Task Portal_on_a_desktop()
    {
        var path = await PortalAsync();
        var page = await OpenAsync(new() { ViewportSize = Desktop });
        await page.GotoAsync(path);
        await Expect(page.Locator("#thread > li")).ToHaveCountAsync(4);
        await SaveAsync(page, "portal.png");
    }

    /// <summary>The conversation of one showcase ticket, and a fresh portal link to it (which revokes the one before).</summary>
    private async Task<string> PortalAsync()
    {
        var showcase = await app.ShowcaseAsync();
        var ticket = showcase.Tickets.Single(t => (string)t["subject"]! == "App crashes when I upload a photo");
        var moderator = showcase.Moderator;
        async Task<string> LinkAsync() => new Uri((string)(await (await moderator.Client.PostAsync($"{Contact}/{ticket.IdOf()}/portal-link", null)).ReadObjectAsync())["url"]!).AbsolutePath;
        await app.ConversationAsync(async () =>
        {
            await moderator.Client.PostAsJsonAsync($"{Contact}/{ticket.IdOf()}/messages",
                new { kind = "reply", body = "Thank you, Mateo. Which version of the app do you have? It is under Settings → About." });
            await moderator.Client.PostAsJsonAsync($"{Contact}/{ticket.IdOf()}/messages", new { kind = "note", body = "Probably the Android 15 photo picker change." });
            var token = (await LinkAsync()).Split("/t/")[1];
            await app.CreateClient().PostAsync($"/api/v1/portal/{token}/messages",
                MultipartBody.Form(new { body = "It is version 4.2.1. Here is a screenshot of the error." }, ("crash.png", MultipartBody.Png)));
            await moderator.Client.PostAsJsonAsync($"{Contact}/{ticket.IdOf()}/messages",
                new { kind = "reply", body = "Found it: version 4.2.2, out today, fixes the photo picker on Android 15. Could you update and try again?" });
        });
        return await LinkAsync();
    }

    /// <summary>Nothing sticks out sideways, and the field labelled <paramref name="label"/> fits the screen.</summary>
    private static async Task AssertFitsThePhoneAsync(IPage page, string label)
    {
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 390);
        var box = await page.GetByLabel(label).BoundingBoxAsync();
        Assert.True(box!.X >= 0 && box.X + box.Width <= 390, $"the {label} box spans {box.X}..{box.X + box.Width}");
    }

    private readonly List<string> consoleErrors = [];

    [Fact]
    public async Task Knowledge_base()
    {
        await KnowledgeBase.KbShowcase.SeedAsync(app);
        var page = await OpenAsync(new() { ViewportSize = Desktop });
        await page.GotoAsync("/kb");
        await Expect(page.Locator("main .kb-list li").First).ToBeVisibleAsync();
        await SaveAsync(page, "kb.png");
    }

    [Fact]
    public async Task Contact_form_with_suggestions()
    {
        await KnowledgeBase.KbShowcase.SeedAsync(app);
        var page = await OpenAsync(new() { ViewportSize = Desktop });
        await page.GotoAsync("/contact");
        await page.GetByLabel("Subject").PressSequentiallyAsync("Where is my refund?");
        await Expect(page.Locator("#kb-suggestions li").First).ToBeVisibleAsync();
        await SaveAsync(page, "contact-suggestions.png");
    }

    private async Task<IPage> OpenAsync(BrowserNewContextOptions options)
    {
        var page = await app.NewPageAsync(options);
        Watch(page);
        return page;
    }

    private async Task<IPage> SignInAsync(TestUser user)
    {
        var page = await app.SignInAsync(user, new() { ViewportSize = Desktop });
        Watch(page);
        return page;
    }

    /// <summary>A blocked stylesheet, script or inline code (CSP) shows up as a console error.</summary>
    private void Watch(IPage page) => page.Console += (_, message) =>
    {
        if (message.Type == "error")
        {
            lock (consoleErrors)
            {
                consoleErrors.Add($"{page.Url}: {message.Text}");
            }
        }
    };

    private async Task SaveAsync(IPage page, string name)
    {
        await page.WaitForLoadStateAsync(LoadState.Load);
        // Styled: the stylesheet has loaded and applies.
        Assert.Equal("rgb(245, 247, 250)", await page.EvaluateAsync<string>("() => getComputedStyle(document.documentElement).backgroundColor"));
        Assert.Empty(consoleErrors);
        Assert.Empty(app.Dialogs);
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, name);
        await page.ScreenshotAsync(new() { Path = path, FullPage = true, Animations = ScreenshotAnimations.Disabled });
        Assert.True(new FileInfo(path).Length > 10_000, $"{path} is nearly empty");
    }

    /// <summary>The app with a small, realistic queue made through the API, once per test class.</summary>
    public sealed class ShowcaseApp : BrowserApp
    {
        private Task<Showcase>? showcase;

        public Task<Showcase> ShowcaseAsync() => showcase ??= Showcase.SeedAsync(this);

        private Task? conversation;

        /// <summary>Runs <paramref name="seed"/> once per test class (the portal screenshots share one conversation).</summary>
        public Task ConversationAsync(Func<Task> seed) => conversation ??= seed();
    }

    public sealed record Showcase(TestUser Moderator, IReadOnlyList<JsonObject> Tickets, JsonObject Featured)
    {
        private static readonly (string Name, string Email, string Category, string Subject, string Message)[] Messages =
        [
            ("Olivia Brown", "olivia.brown@example.com", "account", "Two accounts with the same email",
                "When I sign in I end up in an old, empty account. Can you merge it into the one with my orders?"),
            ("Emma Johnson", "emma@northwind.example", "other", "Partnership enquiry",
                "We run a chain of 12 bike shops and would like to talk about stocking your products."),
            ("Sofia Rossi", "sofia.rossi@example.it", "abuse", "Fake reviews on the product page",
                "The reviews on the Trailblazer 2 page were all posted on the same day by accounts with no orders."),
            ("Jonas Weber", "jonas.weber@example.de", "data", "Please delete my personal data",
                "Under the GDPR I ask you to delete all personal data you hold about me and to confirm when it is done."),
            ("Chen Wei", "chen.wei@example.sg", "general", "Do you ship to Singapore?",
                "I would like to order two helmets. Do you deliver to Singapore, and how long does it take?"),
            ("Priya Natarajan", "priya@example.in", "feature", "Export invoices as PDF",
                "Our accountant needs PDF invoices. Could the orders page offer a PDF download next to each order?"),
            ("Liam O'Connor", "liam.oconnor@example.ie", "account", "Password reset link does not work",
                "The reset link in your email says it has expired, even when I click it right away."),
            ("Mateo García", "mateo.garcia@example.es", "bug", "App crashes when I upload a photo",
                "On Android 15 the app closes as soon as I choose a photo for my return request."),
            ("Anna Schmidt", "anna.schmidt@example.at", "general", "Checkout fails with an Austrian card",
                "At the last step of the checkout I get \"Payment declined\" with my Austrian Visa card.\nThe same card works in other shops. Order total was €149.90."),
        ];

        public static async Task<Showcase> SeedAsync(ContactDeskApp app)
        {
            var maria = await app.CreateUserAsync("moderator", "Maria Keller");
            var tom = await app.CreateUserAsync("moderator", "Tom Becker");
            var tickets = new List<JsonObject>();
            foreach (var (name, email, category, subject, message) in Messages)
            {
                tickets.Add(await app.SubmitAsync(subject, message, category, name, email));
            }
            JsonObject Ticket(string subject) => tickets.Single(t => (string)t["subject"]! == subject);

            // Maria works the account and checkout problems, Tom the shipping and privacy ones.
            foreach (var subject in new[] { "Password reset link does not work", "App crashes when I upload a photo", "Checkout fails with an Austrian card" })
            {
                await maria.Client.ActOkAsync(Ticket(subject).IdOf(), "assign-to-me");
            }
            await ResolveAsync(maria, Ticket("Password reset link does not work"), "Sent a fresh reset link; the old one had expired after a server clock drift, which is fixed now.");
            foreach (var subject in new[] { "Do you ship to Singapore?", "Please delete my personal data" })
            {
                await tom.Client.ActOkAsync(Ticket(subject).IdOf(), "assign-to-me");
            }
            await ResolveAsync(tom, Ticket("Do you ship to Singapore?"), "Yes: we ship to Singapore with DHL Express, 5 to 7 working days.");
            await tom.Client.ActOkAsync(Ticket("Partnership enquiry").IdOf(), "archive");

            // The featured ticket: claimed, re-categorised and annotated by Maria.
            var featured = Ticket("Checkout fails with an Austrian card");
            var patched = await maria.Client.PatchJsonAsync(featured.IdOf(), new
            {
                category = "bug",
                admin_notes = "Reproduced with a test card from an Austrian bank: the payment provider rejects the postcode format. Asked them in case #4821.",
            });
            patched.EnsureSuccessStatusCode();
            await PostAsync(maria, featured, MultipartBody.Form(new
            {
                kind = "note",
                body = "Payment provider's log: \"AVS mismatch, postcode format\". Their support confirmed 4-digit Austrian postcodes fail since Monday.",
            }));
            await PostAsync(maria, featured, MultipartBody.Form(new
            {
                kind = "reply",
                body = "Hello Anna,\n\nthank you for the details. Our payment provider currently rejects 4-digit Austrian postcodes; "
                    + "they are fixing it this week. Until then you can pay with PayPal or by bank transfer (see the attached guide).\n\nBest regards,\nMaria",
            }, ("card-payments-at.pdf", Pdf)));
            return new(maria, tickets, featured);
        }

        /// <summary>A small but real-looking PDF (it is sniffed as one), about 2 KB.</summary>
        private static readonly byte[] Pdf = [.. "%PDF-1.4\n"u8, .. Enumerable.Repeat((byte)' ', 2000), .. "\n%%EOF\n"u8];

        private static async Task PostAsync(TestUser moderator, JsonObject ticket, HttpContent form)
        {
            var response = await moderator.Client.PostAsync($"{Contact}/{ticket.IdOf()}/messages", form);
            response.EnsureSuccessStatusCode();
        }

        private static async Task ResolveAsync(TestUser moderator, JsonObject ticket, string notes)
        {
            var response = await moderator.Client.PostAsJsonAsync($"{Contact}/{ticket.IdOf()}/mark-resolved", new { resolution_notes = notes });
            response.EnsureSuccessStatusCode();
        }
    }
}
