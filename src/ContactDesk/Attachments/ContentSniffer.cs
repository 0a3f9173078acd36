using System.Text;

namespace ContactDesk.Attachments;

/// <summary>
/// The content type of a file, worked out from its first bytes: what the sender claims (name,
/// Content-Type) is never believed. Only types that are safe to show are named; anything else is
/// <c>application/octet-stream</c>.
/// </summary>
public static class ContentSniffer
{
    public const string OctetStream = "application/octet-stream";
    public const string PlainText = "text/plain; charset=utf-8";

    /// <summary>How many leading bytes <see cref="Detect"/> looks at: the binary formats' signatures and the start of a text.</summary>
    public const int HeadBytes = 512;

    /// <param name="head">The first bytes (up to <see cref="HeadBytes"/>).</param>
    /// <param name="isUtf8Text">Whether the whole content is valid UTF-8 without NUL characters.</param>
    public static string Detect(ReadOnlySpan<byte> head, bool isUtf8Text)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return "image/png";
        }
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return "image/jpeg";
        }
        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8))
        {
            return "image/gif";
        }
        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        {
            return "image/webp";
        }
        if (head.StartsWith("%PDF-"u8))
        {
            return "application/pdf";
        }
        return isUtf8Text && head.Length > 0 && !LooksLikeMarkup(head) ? PlainText : OctetStream;
    }

    // Text that opens with a tag (HTML, SVG, XML) is something a browser would render: it is
    // never named text, so it is only ever served as a download of bytes.
    private static bool LooksLikeMarkup(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            head = head[3..];
        }
        var start = head.IndexOfAnyExcept(" \t\r\n\f"u8);
        return start < 0 || head[start] == (byte)'<';
    }

    /// <summary>Checks text one chunk at a time (a character may span two chunks).</summary>
    public sealed class Utf8Check
    {
        private readonly Decoder decoder = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
        private readonly char[] chars = new char[8192];

        public bool IsText { get; private set; } = true;

        public void Add(ReadOnlySpan<byte> bytes, bool final = false)
        {
            if (!IsText)
            {
                return;
            }
            if (bytes.Contains((byte)0))
            {
                IsText = false;
                return;
            }
            try
            {
                while (true)
                {
                    decoder.Convert(bytes, chars, final, out var used, out _, out var completed);
                    bytes = bytes[used..];
                    if (completed || bytes.IsEmpty)
                    {
                        break;
                    }
                }
            }
            catch (DecoderFallbackException)
            {
                IsText = false;
            }
        }
    }
}
