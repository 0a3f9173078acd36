namespace ContactDesk.Privacy;

/// <summary>
/// A write-only stream over the response body for <see cref="System.IO.Compression.ZipArchive"/>,
/// which still writes a few small pieces synchronously (a deflate stream's last bytes when an entry
/// closes), and the server refuses synchronous writes. Those are kept here and go out, in order,
/// ahead of the next asynchronous write or at <see cref="DrainAsync"/>: only those few bytes are buffered.
/// </summary>
public sealed class AsyncWriteStream(Stream body) : Stream
{
    private readonly MemoryStream pending = new();
    private long written;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => written;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        pending.Write(buffer, offset, count);
        written += count;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default)
    {
        await DrainAsync(ct);
        await body.WriteAsync(buffer, ct);
        written += buffer.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        WriteAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public async Task DrainAsync(CancellationToken ct)
    {
        if (pending.Length > 0)
        {
            await body.WriteAsync(pending.GetBuffer().AsMemory(0, (int)pending.Length), ct);
            pending.SetLength(0);
        }
    }

    public override async Task FlushAsync(CancellationToken ct)
    {
        await DrainAsync(ct);
        await body.FlushAsync(ct);
    }

    /// <summary>Nothing to do synchronously: the bytes kept go out with the next asynchronous write.</summary>
    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
