using Microsoft.Playwright;

namespace ContactDesk.Tests.Infrastructure;

/// <summary>The app on SQLite and a real port, with <see cref="Chromium"/> to drive it.</summary>
public class BrowserApp : SqliteApp, IAsyncLifetime
{
    private Chromium? chromium;

    public BrowserApp() => this.ListenOnLoopback();

    public IBrowser Browser => chromium!.Browser;

    public List<string> Dialogs => chromium!.Dialogs;

    public async Task InitializeAsync() => chromium = await Chromium.LaunchAsync(this);

    /// <inheritdoc cref="Chromium.NewPageAsync"/>
    public Task<IPage> NewPageAsync(BrowserNewContextOptions? options = null, bool acceptConfirm = false) =>
        chromium!.NewPageAsync(options, acceptConfirm);

    /// <inheritdoc cref="Chromium.SignInAsync"/>
    public Task<IPage> SignInAsync(TestUser user, BrowserNewContextOptions? options = null, bool acceptConfirm = false) =>
        chromium!.SignInAsync(user, options, acceptConfirm);

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (chromium is not null)
        {
            await chromium.DisposeAsync();
        }
        await DisposeAsync();
    }
}
