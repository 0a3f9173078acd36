using System.Text.RegularExpressions;
using ContactDesk.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static ContactDesk.Tests.ModerationApiExtensions;
using static Microsoft.Playwright.Assertions;

namespace ContactDesk.Tests;

/// <summary>Who may open and change what on the admin pages, and their CSRF defence, in a real browser.</summary>
public sealed class AccessTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private const string TokenField = "__RequestVerificationToken";

    [Theory]
    [InlineData("/admin")]
    [InlineData("/admin/dashboard")]
    [InlineData("/admin/users")]
    public async Task Anonymous_visitors_are_sent_to_the_sign_in_page(string path)
    {
        var page = await app.NewPageAsync();
        var response = await page.GotoAsync(path);

        await Expect(page).ToHaveURLAsync(new Regex("/admin/login\\?ReturnUrl=" + Regex.Escape(Uri.EscapeDataString(path))));
        Assert.Equal(200, response!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_plain_user_cannot_sign_in_to_the_admin_pages()
    {
        var user = await app.CreateUserAsync("user");
        var page = await app.NewPageAsync();
        await page.GotoAsync("/admin/login");
        await page.GetByLabel("Email").FillAsync(user.Email);
        await page.GetByLabel("Password").FillAsync(user.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("This account has no access to the admin pages.");
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "contactdesk.auth");
        await page.GotoAsync("/admin");
        await Expect(page).ToHaveURLAsync(new Regex("/admin/login"));
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToHaveCountAsync(0);
    }

    [Theory]
    [InlineData("/admin/dashboard", "/admin/dashboard")]
    [InlineData("https://evil.example/phish", "/admin")]
    [InlineData("//evil.example/phish", "/admin")]
    public async Task Signing_in_returns_only_to_a_page_of_the_app(string returnUrl, string landing)
    {
        var moderator = await app.CreateUserAsync("moderator");
        var page = await app.NewPageAsync();
        await page.GotoAsync($"/admin/login?ReturnUrl={Uri.EscapeDataString(returnUrl)}");
        await page.GetByLabel("Email").FillAsync(moderator.Email);
        await page.GetByLabel("Password").FillAsync(moderator.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
        Assert.Equal(new Uri(app.ServerAddress(), landing), new Uri(page.Url));
    }

    [Fact]
    public async Task A_moderator_has_no_delete_form_and_a_forged_delete_is_refused()
    {
        var ticket = await app.SubmitAsync($"Keep me {UniqueWord()}");
        var page = await app.SignInAsync(await app.CreateUserAsync("moderator"));
        await page.GotoAsync($"/admin/contact/{ticket.IdOf()}");
        await Expect(page.Locator("#ticket-number")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Delete" })).ToHaveCountAsync(0);
        await Expect(page.Locator("form[action*='handler=Delete']")).ToHaveCountAsync(0);

        // The moderator's own valid token and cookie: only the role decides.
        var token = await page.Locator($"input[name={TokenField}]").First.InputValueAsync();
        var form = page.Context.APIRequest.CreateFormData();
        form.Set(TokenField, token);
        form.Set("confirm", "true");
        var response = await page.Context.APIRequest.PostAsync($"/admin/contact/{ticket.IdOf()}?handler=Delete", new() { Form = form });

        Assert.Equal(403, response.Status);
        Assert.Equal(1, await app.QueryAsync(db => db.Tickets.CountAsync(t => t.Id == ticket.IdOf())));
    }

    [Theory]
    [InlineData("/admin/users")]
    [InlineData("/admin/emails")]
    [InlineData("/admin/sla")]
    public async Task A_moderator_is_denied_the_admin_only_pages(string path)
    {
        var page = await app.SignInAsync(await app.CreateUserAsync("moderator"));
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Users" })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Failed emails" })).ToHaveCountAsync(0);

        var response = await page.GotoAsync(path);

        Assert.Equal(403, response!.Status);
        await Expect(page).ToHaveURLAsync(new Regex("/admin/denied"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "No access" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task An_admin_deletes_a_ticket_after_ticking_the_confirmation()
    {
        var ticket = await app.SubmitAsync($"Delete me {UniqueWord()}");
        var page = await app.SignInAsync(await app.CreateUserAsync("admin"), acceptConfirm: true);
        await page.GotoAsync($"/admin/contact/{ticket.IdOf()}");
        var number = (string)ticket["ticket_number"]!;

        // Unticked, the browser does not send the form.
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete ticket" }).ClickAsync();
        Assert.True(await page.GetByLabel("I want to delete this ticket").EvaluateAsync<bool>("box => box.validity.valueMissing"));
        Assert.Empty(app.Dialogs);
        Assert.Equal(1, await app.QueryAsync(db => db.Tickets.CountAsync(t => t.Id == ticket.IdOf())));

        await page.GetByLabel("I want to delete this ticket").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete ticket" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/admin$"));
        Assert.Contains($"confirm: Delete {number} for good?", app.Dialogs);
        Assert.Equal(0, await app.QueryAsync(db => db.Tickets.CountAsync(t => t.Id == ticket.IdOf())));
        var gone = await page.GotoAsync($"/admin/contact/{ticket.IdOf()}");
        Assert.Equal(404, gone!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Ticket not found" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task An_admin_creates_a_moderator_and_changes_a_role()
    {
        var page = await app.SignInAsync(await app.CreateUserAsync("admin"));
        await page.GetByRole(AriaRole.Link, new() { Name = "Users" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Users", Level = 1 })).ToBeVisibleAsync();

        var email = $"new-mod-{Guid.NewGuid():N}@example.com";
        await page.GetByLabel("Name").FillAsync("Nina New");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Initial password").FillAsync("Another-horse-7");
        await page.GetByLabel("Role", new() { Exact = true }).SelectOptionAsync("moderator");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Created moderator {email}.");
        var row = page.Locator($"tr[data-email='{email}']");
        await Expect(row).ToContainTextAsync("Nina New");
        await Expect(row.GetByLabel($"Role of {email}")).ToHaveValueAsync("moderator");

        // The new moderator can work the queue at once.
        var moderator = new TestUser(Guid.Empty, email, "Another-horse-7", "Nina New", "moderator", app.CreateClient());
        var moderatorPage = await app.SignInAsync(moderator);
        await Expect(moderatorPage.GetByRole(AriaRole.Heading, new() { Name = "Queue" })).ToBeVisibleAsync();

        await row.GetByLabel($"Role of {email}").SelectOptionAsync("admin");
        await row.GetByRole(AriaRole.Button, new() { Name = "Change" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"{email} is now admin.");
        await Expect(row.GetByLabel($"Role of {email}")).ToHaveValueAsync("admin");
        var token = await app.LoginAsync(email, "Another-horse-7");
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        Assert.Contains("\"admin\"", await client.GetStringAsync("/api/v1/auth/me"));
    }

    [Fact]
    public async Task Every_admin_form_carries_an_antiforgery_token()
    {
        var ticket = await app.SubmitAsync($"Forms {UniqueWord()}");
        var page = await app.SignInAsync(await app.CreateUserAsync("admin"));
        string[] paths = ["/admin", $"/admin/contact/{ticket.IdOf()}", "/admin/dashboard", "/admin/users", "/admin/emails", "/admin/sla"];
        var forms = 0;
        foreach (var path in paths)
        {
            await page.GotoAsync(path);
            var posts = page.Locator("form[method=post]");
            var count = await posts.CountAsync();
            Assert.True(count > 0, $"{path} has no form");
            for (var i = 0; i < count; i++)
            {
                var form = posts.Nth(i);
                Assert.True(await form.Locator($"input[type=hidden][name={TokenField}]").CountAsync() == 1,
                    $"a form on {path} has no antiforgery token: {await form.EvaluateAsync<string>("f => f.outerHTML")}");
                Assert.False(string.IsNullOrEmpty(await form.Locator($"input[name={TokenField}]").InputValueAsync()));
            }
            forms += count;
        }
        Assert.True(forms >= 10, $"only {forms} forms");
        // The forms that have only GET: the queue's filters.
        await page.GotoAsync("/admin");
        await Expect(page.Locator("form:not([method=post])")).ToHaveCountAsync(1);
    }

    [Theory]
    [InlineData("Claim")]
    [InlineData("Archive")]
    [InlineData("Delete")]
    public async Task A_ticket_action_without_the_antiforgery_token_is_refused(string handler)
    {
        var ticket = await app.SubmitAsync($"Forged {UniqueWord()}");
        var page = await app.SignInAsync(await app.CreateUserAsync("admin"));
        var form = page.Context.APIRequest.CreateFormData();
        form.Set("confirm", "true");

        var response = await page.Context.APIRequest.PostAsync($"/admin/contact/{ticket.IdOf()}?handler={handler}", new() { Form = form, MaxRedirects = 0 });

        Assert.Equal(400, response.Status);
        var stored = await app.QueryAsync(db => db.Tickets.AsNoTracking().SingleAsync(t => t.Id == ticket.IdOf()));
        Assert.Null(stored.AssignedToId);
        Assert.Equal(Tickets.TicketStatus.Pending, stored.Status);
    }

    [Theory]
    [InlineData("/admin?handler=Bulk", "action=archive")]
    [InlineData("/admin/users?handler=Create", "NewName=Eve&NewEmail=eve@example.com&newPassword=Evil-horse-666&NewRole=admin")]
    [InlineData("/admin/logout", "")]
    public async Task An_admin_post_without_the_antiforgery_token_is_refused(string path, string body)
    {
        var page = await app.SignInAsync(await app.CreateUserAsync("admin"));
        var response = await page.Context.APIRequest.PostAsync(path, new()
        {
            Headers = new Dictionary<string, string> { ["Content-Type"] = "application/x-www-form-urlencoded" },
            Data = body,
            MaxRedirects = 0,
        });

        Assert.Equal(400, response.Status);
        Assert.Equal(0, await app.QueryAsync(db => db.Users.CountAsync(u => u.Email == "eve@example.com")));
        await page.GotoAsync("/admin"); // still signed in
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
    }
}
