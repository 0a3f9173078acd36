using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace ContactDesk.Live;

/// <summary>
/// Keeps live.js's background page fetches away from TempData. After "Reply and resolve" the old
/// page's event stream can fetch the ticket page while the browser follows the redirect; without
/// this the fetch would consume the one-time notice ("Reply sent…") meant for the page being shown.
/// </summary>
public sealed class LiveRefreshTempData(ITempDataProvider inner) : ITempDataProvider
{
    /// <summary>The request header live.js sends with its refresh fetches.</summary>
    public const string Header = "X-ContactDesk-Live";

    public IDictionary<string, object> LoadTempData(HttpContext context) =>
        IsLiveRefresh(context) ? new Dictionary<string, object>() : inner.LoadTempData(context);

    public void SaveTempData(HttpContext context, IDictionary<string, object> values)
    {
        if (!IsLiveRefresh(context)) { inner.SaveTempData(context, values); }
    }

    static bool IsLiveRefresh(HttpContext context) => context.Request.Headers.ContainsKey(Header);
}
