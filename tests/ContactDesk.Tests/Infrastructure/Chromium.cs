using Microsoft.Playwright;

namespace ContactDesk.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium driven through Playwright (no browser download: the machine's
/// /usr/lib/chromium/chromium is launched), pointed at one app. Every JavaScript dialog any page
/// opens is recorded, so a test can prove injected script never ran.
/// </summary>
public sealed class Chromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/lib/chromium/chromium";

    private readonly IPlaywright playwright;
    private readonly ContactDeskApp app;

    private Chromium(IPlaywright playwright, IBrowser browser, ContactDeskApp app) => (this.playwright, Browser, this.app) = (playwright, browser, app);

    public IBrowser Browser { get; }

    public List<string> Dialogs { get; } = [];

    /// <summary>Starts the browser for <paramref name="app"/>, which must listen on a real port (<see cref="RealServer.ListenOnLoopback"/>).</summary>
    public static async Task<Chromium> LaunchAsync(ContactDeskApp app)
    {
        Assert.True(File.Exists(ExecutablePath), "Chromium is not installed: run scripts/test.sh (it installs it), or 'apt-get install chromium'.");
        // Generous: the machine may be busy with other test classes; Expect still returns as soon as it holds.
        Assertions.SetDefaultExpectTimeout(15_000);
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        return new(playwright, browser, app);
    }

    /// <summary>
    /// A fresh browser context (its own cookies) on the app. JavaScript dialogs are recorded and
    /// dismissed, except that <paramref name="acceptConfirm"/> accepts confirm() prompts (the delete button's).
    /// </summary>
    public async Task<IPage> NewPageAsync(BrowserNewContextOptions? options = null, bool acceptConfirm = false)
    {
        options ??= new();
        options.BaseURL ??= app.ServerAddress().ToString();
        options.AcceptDownloads = true;
        var context = await Browser.NewContextAsync(options);
        var page = await context.NewPageAsync();
        page.Dialog += async (_, dialog) =>
        {
            lock (Dialogs)
            {
                Dialogs.Add($"{dialog.Type}: {dialog.Message}");
            }
            if (acceptConfirm && dialog.Type == "confirm")
            {
                await dialog.AcceptAsync();
            }
            else
            {
                await dialog.DismissAsync();
            }
        };
        return page;
    }

    /// <summary>A page signed in at /admin/login as <paramref name="user"/> (a moderator or admin), on the queue.</summary>
    public async Task<IPage> SignInAsync(TestUser user, BrowserNewContextOptions? options = null, bool acceptConfirm = false)
    {
        var page = await NewPageAsync(options, acceptConfirm);
        await page.GotoAsync("/admin/login");
        await page.GetByLabel("Email").FillAsync(user.Email);
        await page.GetByLabel("Password").FillAsync(user.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        playwright.Dispose();
    }
}
