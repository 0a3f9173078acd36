using System.Security.Cryptography;

namespace ContactDesk.Notifications;

/// <summary>Random tokens in RFC 4648 base32, lower case: safe in Message-IDs and URLs, no case to confuse.</summary>
public static class Base32
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    public static string Random(int bytes) => Encode(RandomNumberGenerator.GetBytes(bytes));

    public static string Encode(ReadOnlySpan<byte> data)
    {
        var chars = new char[(data.Length * 8 + 4) / 5];
        int buffer = 0, bits = 0, next = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                chars[next++] = Alphabet[(buffer >> (bits - 5)) & 31];
                bits -= 5;
            }
        }
        if (bits > 0)
        {
            chars[next++] = Alphabet[(buffer << (5 - bits)) & 31];
        }
        return new string(chars, 0, next);
    }
}
