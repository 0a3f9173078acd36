namespace ContactDesk.Tests.Infrastructure;

/// <summary>
/// The browser app configured for a shop that embeds the contact form, as its operator would:
/// <c>Cors:AllowedOrigins</c> lists the shop's site. The browser tests serve the shop's pages
/// themselves (Playwright answers requests to that origin).
/// </summary>
public sealed class ShopEmbedApp : BrowserApp
{
    public const string Shop = "https://shop.example";

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        .. base.Settings(),
        new("Cors:AllowedOrigins:0", Shop),
    ];
}
