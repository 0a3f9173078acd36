using System.Globalization;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;

namespace ContactDesk.Web;

/// <summary>
/// A moment on a page: rendered in UTC (so the page reads right without JavaScript), marked for
/// <c>wwwroot/js/pages.js</c> to show in the reader's own time zone, with the UTC time kept on hover.
/// </summary>
public static class LocalTime
{
    public static IHtmlContent Of(DateTime utc, bool seconds = false, string? id = null, string? cssClass = null)
    {
        utc = DateTime.SpecifyKind(utc, DateTimeKind.Utc);
        var text = utc.ToString(seconds ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";
        var attributes = (id is null ? "" : $" id=\"{HtmlEncoder.Default.Encode(id)}\"")
            + (cssClass is null ? "" : $" class=\"{HtmlEncoder.Default.Encode(cssClass)}\"");
        return new HtmlString(
            $"<time{attributes} datetime=\"{utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}\" title=\"{text}\" data-local=\"{(seconds ? "seconds" : "minutes")}\">{text}</time>");
    }
}
