using System.Diagnostics;

namespace ContactDesk.Tests.Infrastructure;

/// <summary>
/// A small file system of its own (tmpfs) for the disk faults: it fills up for real (ENOSPC) and
/// can be remounted read-only (EROFS), without touching the machine's disk. Mounting needs root
/// (CAP_SYS_ADMIN), as scripts/test.sh and CI have; the test says so plainly when it is missing.
/// </summary>
public sealed class Tmpfs : IDisposable
{
    private Tmpfs(string path) => Path = path;

    public string Path { get; }

    public static Tmpfs Mount(int megabytes)
    {
        var path = Directory.CreateTempSubdirectory("contactdesk-tmpfs-").FullName;
        var (code, error) = Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m,mode=0777", "tmpfs", path);
        Assert.True(code == 0, $"Cannot mount a tmpfs for the disk-fault tests (they need root with CAP_SYS_ADMIN): {error}");
        return new Tmpfs(path);
    }

    public void Remount(bool readOnly)
    {
        var (code, error) = Run("mount", "-o", readOnly ? "remount,ro" : "remount,rw", Path);
        Assert.True(code == 0, $"remount failed: {error}");
    }

    /// <summary>Writes a file until the file system has no space left.</summary>
    public string Fill()
    {
        var filler = System.IO.Path.Combine(Path, "filler");
        var block = new byte[64 * 1024];
        using var stream = new FileStream(filler, FileMode.Create, FileAccess.Write, FileShare.None, 1);
        try
        {
            while (true)
            {
                stream.Write(block);
            }
        }
        catch (IOException)
        {
            // ENOSPC: full; what fits stays
        }
        try
        {
            // Byte by byte for the last partial block, so not even a page is left.
            while (true)
            {
                stream.WriteByte(0);
                stream.Flush();
            }
        }
        catch (IOException)
        {
        }
        return filler;
    }

    public void Dispose()
    {
        Run("umount", "-l", Path);
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static (int Code, string Error) Run(string program, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, error);
    }
}
