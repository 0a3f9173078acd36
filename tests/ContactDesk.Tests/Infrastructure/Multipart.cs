using System.Net.Http.Headers;

namespace ContactDesk.Tests.Infrastructure;

/// <summary>Builds multipart/form-data bodies as a browser or curl sends them.</summary>
public static class MultipartBody
{
    public static MultipartFormDataContent Form(object fields, params (string Name, byte[] Content)[] files) =>
        FormOf(fields, files.Select(f => (f.Name, (HttpContent)new ByteArrayContent(f.Content))).ToArray());

    public static MultipartFormDataContent FormOf(object fields, params (string Name, HttpContent Content)[] files)
    {
        var form = new MultipartFormDataContent();
        foreach (var property in fields.GetType().GetProperties())
        {
            if (property.GetValue(fields) is { } value)
            {
                form.Add(new StringContent(value.ToString()!), property.Name);
            }
        }
        foreach (var (name, content) in files)
        {
            // Whatever type the sender claims, the service must not believe it.
            content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            form.Add(content, "files", name);
        }
        return form;
    }

    public static readonly byte[] Png =
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1F, 0x15, 0xC4, 0x89];

    /// <summary>The start of a Windows executable ("MZ").</summary>
    public static readonly byte[] Exe = [0x4D, 0x5A, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xFF, 0xFF, 0, 0, 0xB8, 0, 0, 0];

    /// <summary>Bytes no two tests share, so that "stored once" counts only the test's own file.</summary>
    public static byte[] Unique(int size)
    {
        var bytes = new byte[size];
        Random.Shared.NextBytes(bytes);
        bytes[0] = 0xFE; // not a known type, not text
        return bytes;
    }
}
