using System.Net;
using System.Net.Http.Headers;
using ContactDesk.Data;
using ContactDesk.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace ContactDesk.Tests;

/// <summary>
/// A 20 MiB upload to the app as a real process: its resident memory may not grow by anything like
/// the upload twice over (the multipart body is streamed to a temporary file while it is hashed,
/// never buffered whole; the database store then reads each file once to write it).
/// </summary>
[Collection(FaultTests.Name)] // alone, so that no other test's load counts
public sealed class UploadMemoryTests(ITestOutputHelper output)
{
    private const int FileBytes = 10 * 1024 * 1024;

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task A_20_MiB_upload_grows_the_app_s_memory_by_far_less_than_twice_its_size(DatabaseProvider provider)
    {
        var database = DatabaseProbe.NewDatabase(provider);
        var environment = AppEnvironment.For(database);
        environment["Attachments__Path"] = Directory.CreateTempSubdirectory("contactdesk-files-").FullName;
        await using var app = await AppProcess.StartAsync(environment);
        using var client = app.CreateClient();
        await SubmitAsync(client, 64 * 1024); // warm up: JIT, connection pool, first queries
        await SubmitAsync(client, 64 * 1024);

        var before = app.Memory();
        app.ResetPeakMemory();
        var ticketId = await SubmitAsync(client, FileBytes);
        var after = app.Memory();

        var growth = after.Peak - before.Resident;
        output.WriteLine($"{provider}: RSS {before.Resident / 1048576.0:F1} MiB before, peak {after.Peak / 1048576.0:F1} MiB during a 20 MiB upload: +{growth / 1048576.0:F1} MiB");
        Assert.True(growth < 2L * 2 * FileBytes, $"The app grew by {growth / 1048576.0:F1} MiB for a 20 MiB upload.");
        var sizes = await database.QueryAsync(db => db.MessageAttachments.Where(a => db.Messages.Any(m => m.Id == a.MessageId && m.TicketId == ticketId))
            .Select(a => a.Size).ToListAsync());
        Assert.Equal([FileBytes, FileBytes], sizes);
    }

    /// <summary>Submits the form with two files of <paramref name="size"/> bytes each, generated while sent (the test holds no copy).</summary>
    private static async Task<Guid> SubmitAsync(HttpClient client, int size)
    {
        var form = new MultipartFormDataContent
        {
            { new StringContent("Mem Tester"), "name" },
            { new StringContent("mem@example.com"), "email" },
            { new StringContent("Large files"), "subject" },
            { new StringContent("Two large files."), "message" },
        };
        for (var i = 0; i < 2; i++)
        {
            var file = new StreamContent(new GeneratedStream(size, seed: i + size));
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            file.Headers.ContentLength = size;
            form.Add(file, "files", $"large-{i}.bin");
        }
        var response = await client.PostAsync("/api/v1/contact/submit", form);
        var ticket = await ResponseAssert.JsonAsync(response, HttpStatusCode.Created);
        return Guid.Parse((string)ticket["id"]!);
    }

    /// <summary>Pseudo-random bytes of a given length, made as they are read.</summary>
    private sealed class GeneratedStream(long length, int seed) : Stream
    {
        private readonly Random random = new(seed);
        private long position;

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - position);
            random.NextBytes(buffer.AsSpan(offset, n));
            position += n;
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
