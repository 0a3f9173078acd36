using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactDesk.Tests.Infrastructure;
using ContactDesk.Tests.KnowledgeBase;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static ContactDesk.Tests.ModerationApiExtensions;
using static Microsoft.Playwright.Assertions;

namespace ContactDesk.Tests;

/// <summary>
/// Every page, in each state people meet it in, passes axe-core's WCAG 2.1 A and AA rules with no
/// violation. The pages and states are the list <see cref="States"/>: a new page is one more line
/// there (who opens it, where, and what is done on it before the check). The pages' markup does not
/// depend on the database, so this runs on SQLite only, on one app with one seeded scene.
/// </summary>
public sealed class AccessibilityTests(AccessibilityTests.SceneApp app) : IClassFixture<AccessibilityTests.SceneApp>
{
    /// <summary>The rules checked: WCAG 2.0 and 2.1, levels A and AA.</summary>
    public static readonly string[] Tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

    /// <summary>Who opens a page: nobody, a plain account (signed in at /my/login), a moderator or an admin.</summary>
    public enum As { Visitor, User, Moderator, Admin }

    /// <summary>
    /// One page in one state: opened as <paramref name="Who"/> at the path <paramref name="Path"/>
    /// gives for the scene, then brought into the state by <paramref name="Act"/> (null: as loaded).
    /// On a <paramref name="Phone"/> (375 px wide) nothing on the page may scroll sideways either.
    /// </summary>
    public sealed record PageState(string Name, As Who, Func<Scene, string> Path, Func<IPage, Scene, Task>? Act = null, bool Phone = false);

    public const int PhoneWidth = 375;

    public static readonly PageState[] States =
    [
        // The public side.
        new("contact form", As.Visitor, _ => "/contact"),
        new("contact form with errors", As.Visitor, _ => "/contact", (page, _) => Press(page, "Send message")),
        new("contact form sent", As.Visitor, _ => "/contact", async (page, _) =>
        {
            await ContactFormPage.FillAsync(page, "Ada Visitor", "ada@example.com", "Where is my order?", "It has been two weeks.");
            await Press(page, "Send message");
            await Expect(page.Locator("#ticket-number")).ToBeVisibleAsync();
        }),
        new("help centre", As.Visitor, _ => "/kb"),
        new("help centre search", As.Visitor, _ => "/kb?q=refund"),
        new("help article", As.Visitor, s => $"/kb/{s.ArticleSlug}"),
        new("portal with a thread and files", As.Visitor, s => s.PortalPath),
        new("portal with an error", As.Visitor, s => s.PortalPath, (page, _) => Press(page, "Send")),
        new("portal link unknown", As.Visitor, _ => "/t/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
        new("my sign-in", As.Visitor, _ => "/my/login"),
        new("my sign-in with an error", As.Visitor, _ => "/my/login", async (page, _) =>
        {
            await page.GetByLabel("Email").FillAsync("nobody@example.com");
            await page.GetByLabel("Password").FillAsync("wrong");
            await Press(page, "Sign in");
            await Expect(page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
        }),
        new("my tickets", As.User, _ => "/my/tickets"),

        // The admin side.
        new("admin sign-in", As.Visitor, _ => "/admin/login"),
        new("admin sign-in with an error", As.Visitor, _ => "/admin/login", async (page, _) =>
        {
            await page.GetByLabel("Email").FillAsync("nobody@example.com");
            await page.GetByLabel("Password").FillAsync("wrong");
            await Press(page, "Sign in");
            await Expect(page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
        }),
        new("queue", As.Moderator, _ => "/admin"),
        new("queue, nothing matches", As.Moderator, _ => "/admin?assigned_to=me&search=nothing-matches-this"),
        new("queue, filtered and sorted", As.Moderator, _ => "/admin?status=in_progress&category=bug&ordering=created_at"),
        new("queue with a filter error", As.Moderator, _ => "/admin?created_after=yesterday"),
        new("ticket with thread, files, note and history", As.Moderator, s => $"/admin/contact/{s.TicketId}"),
        new("ticket with a reply error", As.Moderator, s => $"/admin/contact/{s.TicketId}", (page, _) => Press(page, "Reply")),
        new("ticket after a new portal link", As.Admin, s => $"/admin/contact/{s.OtherTicketId}", async (page, _) =>
        {
            await Press(page, "Send a new portal link");
            await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("new portal link");
        }),
        new("ticket, keyboard help open", As.Moderator, s => $"/admin/contact/{s.TicketId}", async (page, _) =>
        {
            await page.Keyboard.PressAsync("?");
            await Expect(page.GetByRole(AriaRole.Dialog)).ToBeVisibleAsync();
        }),
        new("ticket not found", As.Moderator, _ => $"/admin/contact/{Guid.Empty}"),
        new("dashboard", As.Moderator, _ => "/admin/dashboard"),
        new("articles", As.Moderator, _ => "/admin/kb"),
        new("new article", As.Moderator, _ => "/admin/kb/new"),
        new("article with an error", As.Moderator, _ => "/admin/kb/new", (page, _) => Press(page, "Save")),
        new("edit article", As.Moderator, s => $"/admin/kb/{s.ArticleId}"),
        new("users", As.Admin, _ => "/admin/users"),
        new("failed emails", As.Admin, _ => "/admin/emails"),
        new("canned responses", As.Moderator, _ => "/admin/canned-responses"),
        new("canned response with an error", As.Moderator, _ => "/admin/canned-responses", (page, _) => Press(page, "Save")),
        new("SLA policy", As.Admin, _ => "/admin/sla"),
        new("SLA policy with an error", As.Admin, _ => "/admin/sla", async (page, _) =>
        {
            await page.GetByLabel("Time zone (IANA, such as Europe/Berlin)").FillAsync("Mars/Olympus_Mons");
            await Press(page, "Save");
        }),
        new("webhooks", As.Admin, _ => "/admin/webhooks"),
        new("webhook with an error", As.Admin, _ => "/admin/webhooks", (page, _) => Press(page, "Add webhook")),
        new("webhook deliveries", As.Admin, s => $"/admin/webhooks/{s.WebhookId}"),
        new("data protection", As.Admin, _ => "/admin/privacy"),
        new("data protection, erasure preview", As.Admin, _ => "/admin/privacy", async (page, _) =>
        {
            await page.GetByLabel("Email address").FillAsync("anna@example.com");
            await Press(page, "Preview erasure");
        }),
        new("access denied", As.User, _ => "/admin/denied"),

        // Phones.
        new("queue on a phone", As.Moderator, _ => "/admin", Phone: true),
        new("ticket on a phone", As.Moderator, s => $"/admin/contact/{s.TicketId}", Phone: true),
        new("dashboard on a phone", As.Moderator, _ => "/admin/dashboard", Phone: true),
        new("contact form on a phone", As.Visitor, _ => "/contact", Phone: true),
        new("portal on a phone", As.Visitor, s => s.PortalPath, Phone: true),
    ];

    public static TheoryData<string> StateNames => [.. States.Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(StateNames))]
    public async Task The_page_has_no_axe_violations(string name)
    {
        var state = States.Single(s => s.Name == name);
        var scene = await app.SceneAsync();
        var page = await app.OpenAsync(state.Who, state.Phone
            ? new() { ViewportSize = new() { Width = PhoneWidth, Height = 812 }, IsMobile = true, HasTouch = true }
            : null);
        try
        {
            await page.GotoAsync(state.Path(scene));
            if (state.Act is not null)
            {
                await state.Act(page, scene);
            }
            await page.WaitForLoadStateAsync(LoadState.Load);
            var result = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = [.. Tags] } });
            Assert.True(result.Violations.Length == 0, $"{name} ({page.Url}):\n{Describe(result.Violations)}");
            if (state.Phone)
            {
                // Neither the page nor a part of it (a table in a scrolling box) is wider than the screen.
                Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= PhoneWidth, $"{name} scrolls sideways");
                var wide = await page.EvaluateAsync<string[]>(@"() => [...document.querySelectorAll('main *')]
                    .filter(e => e.scrollWidth > e.clientWidth + 1 && ['auto', 'scroll'].includes(getComputedStyle(e).overflowX))
                    .map(e => e.outerHTML.slice(0, 80))");
                Assert.True(wide.Length == 0, $"{name}: these scroll sideways: {string.Join(", ", wide)}");
            }
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public void Every_page_of_the_app_is_in_the_list()
    {
        // A page added without a line in States fails here (the routes are read from the pages themselves).
        var pages = Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "src", "ContactDesk", "Web"), "*.cshtml", SearchOption.AllDirectories)
            .Select(File.ReadAllLines)
            .Select(lines => lines.FirstOrDefault(l => l.StartsWith("@page \"", StringComparison.Ordinal)))
            .OfType<string>()
            .Select(line => line["@page \"".Length..^1])
            .Where(route => route is not ("/admin/logout" or "/admin/contact/{id:guid}/portal-link")) // post-only; they redirect
            .ToList();
        var paths = States.Select(s => s.Path(Scene.Sample).Split('?')[0]).ToList();
        bool Covered(string route) => paths.Any(p => System.Text.RegularExpressions.Regex.IsMatch(p,
            "^" + System.Text.RegularExpressions.Regex.Replace(route, "\\{[^}]+\\}", "[^/]+") + "$"));
        Assert.DoesNotContain(pages, route => !Covered(route));
    }

    private static Task Press(IPage page, string button) =>
        page.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync();

    private static string Describe(IEnumerable<AxeResultItem> violations) => string.Join("\n", violations.Select(v =>
        $"- {v.Id} ({v.Impact}): {v.Help}\n" + string.Join("\n", v.Nodes.Take(5).Select(n => $"    {n.Target}: {n.Html}\n      {string.Join(" ", n.Any.Concat(n.All).Concat(n.None).Select(c => c.Message))}"))));

    /// <summary>What the states point at: a ticket with a full thread, its portal link, an article, the accounts.</summary>
    /// <param name="OtherTicketId">A plain ticket, for states that change what they show (a new portal link revokes the old).</param>
    /// <param name="WebhookId">A webhook with deliveries in its log.</param>
    public sealed record Scene(Guid TicketId, string PortalPath, string ArticleSlug, string ArticleId, Guid OtherTicketId, Guid WebhookId)
    {
        /// <summary>A stand-in with the same shapes, for reading the list's routes without seeding.</summary>
        public static readonly Scene Sample = new(Guid.Empty, "/t/token", "slug", "id", Guid.Empty, Guid.Empty);
    }

    /// <summary>The app with one scene and signed-in browser states per role, made once for the class.</summary>
    public sealed class SceneApp : BrowserApp
    {
        private Task<Scene>? scene;
        private readonly Dictionary<As, string> signedIn = [];
        private readonly SemaphoreSlim gate = new(1);
        private WebhookReceiver? receiver;

        public Task<Scene> SceneAsync() => scene ??= SeedAsync();

        // The scene's webhook posts to a receiver on loopback: no connection leaves the machine.
        protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [.. base.Settings(), new("Webhooks:AllowPrivateNetworks", "true")];

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            if (receiver is not null)
            {
                await receiver.DisposeAsync();
                receiver = null;
            }
        }

        /// <summary>A page in a new context, signed in as <paramref name="who"/> (each role signs in once; its cookies are reused).</summary>
        public async Task<IPage> OpenAsync(As who, BrowserNewContextOptions? options = null)
        {
            options ??= new();
            if (who == As.Visitor)
            {
                return await NewPageAsync(options);
            }
            await gate.WaitAsync();
            try
            {
                if (!signedIn.TryGetValue(who, out var state))
                {
                    var page = who == As.User ? await SignInAsUserAsync() : await SignInAsync(await CreateUserAsync(who == As.Admin ? "admin" : "moderator", $"{who} Person"));
                    state = signedIn[who] = await page.Context.StorageStateAsync();
                    await page.Context.CloseAsync();
                }
                options.StorageState = state;
                return await NewPageAsync(options);
            }
            finally
            {
                gate.Release();
            }
        }

        private async Task<IPage> SignInAsUserAsync()
        {
            var user = await CreateUserAsync("user", "Una User");
            (await user.Client.PostAsJsonAsync($"{Contact}/submit", new { subject = "My own question", message = "Hello." })).EnsureSuccessStatusCode();
            var page = await NewPageAsync();
            await page.GotoAsync("/my/login");
            await page.GetByLabel("Email").FillAsync(user.Email);
            await page.GetByLabel("Password").FillAsync(user.Password);
            await Press(page, "Sign in");
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
            return page;
        }

        private async Task<Scene> SeedAsync()
        {
            await KbShowcase.SeedAsync(this);
            var admin = await CreateUserAsync("admin", "Ada Admin");
            // A webhook whose receiver fails every other call: its log fills with the tickets below, delivered and failed.
            receiver = await WebhookReceiver.StartAsync();
            var webhook = await (await admin.Client.PostAsJsonAsync("/api/v1/admin/webhooks", new
            {
                url = receiver.NewUrl(n => Task.FromResult(n % 2 == 1 ? 500 : 200)), events = new[] { "ticket.created", "message.created" },
            })).ReadObjectAsync();
            (await admin.Client.PostAsJsonAsync("/api/v1/canned-responses", new
            {
                title = "Bank transfer for now", body = "Hello {{ submitter.name }}, please pay by bank transfer until it is fixed.", shared = true,
            })).EnsureSuccessStatusCode();
            var maria = await CreateUserAsync("moderator", "Maria Keller");
            var other = await SubmitAsync(category: "bug");
            await SubmitAsync();
            var ticket = await SubmitAsync("Checkout fails with my card", "At the last step I get \"Payment declined\".", "bug", "Anna Schmidt", "anna@example.com");
            var id = ticket.IdOf();
            await maria.Client.ActOkAsync(id, "assign-to-me");
            (await maria.Client.PatchJsonAsync(id, new { admin_notes = "Reproduced with a test card. " + new string('x', 300) })).EnsureSuccessStatusCode();
            (await maria.Client.PostAsync($"{Contact}/{id}/messages", MultipartBody.Form(new { kind = "note", body = "Provider says: postcode format." }))).EnsureSuccessStatusCode();
            (await maria.Client.PostAsync($"{Contact}/{id}/messages",
                MultipartBody.Form(new { kind = "reply", body = "Please pay by bank transfer until it is fixed." }, ("guide.pdf", MultipartBody.Png)))).EnsureSuccessStatusCode();
            var link = await (await maria.Client.PostAsync($"{Contact}/{id}/portal-link", null)).ReadObjectAsync();
            var portalPath = new Uri((string)link["url"]!).AbsolutePath;
            (await CreateClient().PostAsync($"/api/v1/portal/{portalPath.Split("/t/")[1]}/messages",
                MultipartBody.Form(new { body = "Thank you, here is a screenshot." }, ("screen.png", MultipartBody.Png)))).EnsureSuccessStatusCode();
            var articles = await (await maria.Client.GetAsync($"{KbApi.Articles}?page_size=1")).ReadObjectAsync();
            var article = (JsonObject)articles["items"]![0]!;
            return new(id, portalPath, (string)article["slug"]!, (string)article["id"]!, other.IdOf(), webhook.IdOf());
        }
    }
}
