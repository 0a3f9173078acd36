using System.Text.RegularExpressions;

namespace ContactDesk.Inbound;

/// <summary>
/// Removes the earlier messages a mail program quotes below a reply, so the thread shows what the
/// person wrote this time (the raw message stays available to admins). Recognises Gmail and
/// Thunderbird ("On … wrote:"), Apple Mail ("On …, at …, … wrote:"), Outlook ("-----Original
/// Message-----" and the "From: … Sent: …" header block) and a trailing "&gt;"-quoted block.
/// Answers written between quoted lines (inline replies) are kept whole.
/// </summary>
public static partial class QuotedHistory
{
    [GeneratedRegex(@"^\s*-{2,}\s*(Original Message|Ursprüngliche Nachricht|Message d'origine)\s*-{2,}\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex OutlookSeparator();

    [GeneratedRegex(@"^\s*\*?(From|Von|De)\s*:\*?\s+\S", RegexOptions.IgnoreCase)]
    private static partial Regex HeaderFrom();

    [GeneratedRegex(@"^\s*\*?(Sent|Date|To|Cc|Subject|Gesendet|Datum|An|Betreff|Envoyé|À|Objet)\s*:", RegexOptions.IgnoreCase)]
    private static partial Regex HeaderField();

    [GeneratedRegex(@"^\s*(On|Am|Le|El|Op)\s.*(wrote|schrieb|a écrit|escribió|schreef)\s*:\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex Attribution();

    [GeneratedRegex(@"^\s*(On|Am|Le|El|Op)\s", RegexOptions.IgnoreCase)]
    private static partial Regex AttributionStart();

    [GeneratedRegex(@"(wrote|schrieb|a écrit|escribió|schreef)\s*:\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex AttributionEnd();

    public static string Strip(string text)
    {
        var lines = text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n');
        var cut = FindCut(lines);
        var kept = lines.Take(cut).ToList();
        // A block of quoted lines at the very end (no attribution line): quoted history too.
        var end = kept.Count;
        while (end > 0 && (IsBlank(kept[end - 1]) || IsQuoted(kept[end - 1])))
        {
            end--;
        }
        kept = kept.Take(end).ToList();
        // Outlook's horizontal rule above its header block.
        while (kept.Count > 0 && (IsBlank(kept[^1]) || kept[^1].Trim().All(c => c == '_') && kept[^1].Trim().Length >= 10))
        {
            kept.RemoveAt(kept.Count - 1);
        }
        var result = string.Join('\n', kept).Trim('\n', ' ');
        // Nothing of one's own: what arrived is all there is to show.
        return result.Length == 0 ? text.Trim() : result;
    }

    private static int FindCut(string[] lines)
    {
        for (var i = 0; i < lines.Length; i++)
        {
            if (OutlookSeparator().IsMatch(lines[i]) || IsOutlookHeaderBlock(lines, i))
            {
                return i;
            }
            var attribution = Attribution().IsMatch(lines[i]) ? 1
                : i + 1 < lines.Length && AttributionStart().IsMatch(lines[i]) && AttributionEnd().IsMatch(lines[i + 1]) ? 2 : 0;
            if (attribution > 0 && !AnsweredInline(lines, i + attribution))
            {
                return i;
            }
        }
        return lines.Length;
    }

    /// <summary>"From: …" followed within a few lines by "Sent:"/"Date:" and "To:"/"Subject:": a forwarded or quoted header block.</summary>
    private static bool IsOutlookHeaderBlock(string[] lines, int i) =>
        HeaderFrom().IsMatch(lines[i]) && lines.Skip(i + 1).Take(4).Count(l => HeaderField().IsMatch(l)) >= 2;

    /// <summary>After the attribution, own text between quoted lines: an inline answer, not history.</summary>
    private static bool AnsweredInline(string[] lines, int from)
    {
        var seenQuote = false;
        for (var i = from; i < lines.Length; i++)
        {
            if (IsQuoted(lines[i]))
            {
                seenQuote = true;
            }
            else if (seenQuote && !IsBlank(lines[i]))
            {
                return true;
            }
        }
        return false;
    }

    private static bool IsQuoted(string line) => line.TrimStart().StartsWith('>');

    private static bool IsBlank(string line) => line.Trim().Length == 0;
}
