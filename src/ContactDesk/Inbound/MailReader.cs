using System.Text;
using MimeKit;

namespace ContactDesk.Inbound;

/// <summary>What the ingest needs of one email, read once from the parsed message.</summary>
public sealed record ReadMail(
    string? MessageId, IReadOnlyList<string> ThreadIds, string FromAddress, string FromName, string Subject, string Text,
    IReadOnlyList<MimeEntity> Files, bool Automatic);

/// <summary>
/// Reads an email as people write it: the text part (else the HTML as text), without the quoted
/// earlier messages; attachments and inline images as files; whether a program sent it (RFC 3834).
/// MimeKit decodes every charset and transfer encoding it knows.
/// </summary>
public static class MailReader
{
    /// <summary>Null when the message names no sender: nobody to file it under or to answer.</summary>
    public static ReadMail? Read(MimeMessage message)
    {
        if (Sender(message) is not { Address: var address } from)
        {
            return null;
        }
        var threadIds = new List<string>();
        if (message.InReplyTo is { Length: > 0 } inReplyTo)
        {
            threadIds.Add(inReplyTo);
        }
        threadIds.AddRange(message.References);
        var (plain, html) = BodyParts(message);
        var text = plain is not null ? TextOf(plain) : html is not null ? HtmlText.ToText(TextOf(html)) : "";
        return new ReadMail(
            string.IsNullOrWhiteSpace(message.MessageId) ? null : message.MessageId,
            threadIds.Distinct().ToList(),
            address.Trim(),
            string.IsNullOrWhiteSpace(from.Name) ? address.Trim() : from.Name.Trim(),
            string.IsNullOrWhiteSpace(message.Subject) ? "(no subject)" : message.Subject.Trim(),
            QuotedHistory.Strip(text),
            Files(message),
            LoopGuard.IsAutomatic(message));
    }

    /// <summary>Who wrote it (From, else Sender); null when neither names an address.</summary>
    public static MailboxAddress? Sender(MimeMessage message) =>
        (message.From.Mailboxes.FirstOrDefault() ?? message.Sender) is { Address: { Length: > 0 } } from ? from : null;

    /// <summary>The text and HTML parts that are the body (not attached files).</summary>
    private static (TextPart? Plain, TextPart? Html) BodyParts(MimeMessage message) => (
        message.BodyParts.OfType<TextPart>().FirstOrDefault(p => p.IsPlain && !p.IsAttachment),
        message.BodyParts.OfType<TextPart>().FirstOrDefault(p => p.IsHtml && !p.IsAttachment));

    /// <summary>
    /// A part's text in its declared charset, looked up in .NET's own table (with the code pages
    /// registered, see <see cref="InboundSetup"/>) rather than in MimeKit's, which is fixed when it is
    /// first used. A charset nobody knows: MimeKit's best guess.
    /// </summary>
    private static string TextOf(TextPart part)
    {
        if (part.ContentType.Charset?.Trim() is not { Length: > 0 } charset)
        {
            return part.Text;
        }
        try
        {
            return part.GetText(charset.Equals("utf-7", StringComparison.OrdinalIgnoreCase) ? Utf7 : Encoding.GetEncoding(charset));
        }
        catch (ArgumentException)
        {
            return part.Text;
        }
    }

#pragma warning disable SYSLIB0001 // UTF-7 is obsolete for writing; mail written in it still arrives, and is only ever decoded here
    private static readonly Encoding Utf7 = new UTF7Encoding();
#pragma warning restore SYSLIB0001

    /// <summary>Every part that is a file: attachments, inline images (<c>cid:</c>), attached emails, anything not the body text.</summary>
    private static List<MimeEntity> Files(MimeMessage message)
    {
        var (text, html) = BodyParts(message);
        return message.BodyParts
            .Where(p => p != text && p != html)
            .Where(p => p is MessagePart || p is MimePart part && (part.IsAttachment || part.FileName is not null || part.ContentId is not null || part is not TextPart))
            .ToList();
    }
}
