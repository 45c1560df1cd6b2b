using System.Globalization;
using System.IO.MemoryMappedFiles;
using Microsoft.Win32.SafeHandles;

namespace Puma.Buffers.SharedMemory;

/// <summary>
/// Ring segments in a sealed Linux memfd. Nobody can shrink it (a shrink under a mapping would kill
/// every process that maps it with SIGBUS), and it disappears when its last holder exits, so no
/// segment outlives a crashed creator. Other processes reach it through the creator's descriptor:
/// the name <c>puma-HEX@PID.FD</c> says where (<c>/proc/PID/fd/FD</c>), and opening that path opens
/// the same memfd (same user, while the creator holds it).
/// </summary>
internal static class SealedSegment
{
    private const string Prefix = "puma-";
    private const int HexDigits = 32;

    /// <summary>True when <paramref name="name"/> has the sealed form (a '@', which file names may not contain).</summary>
    public static bool IsSealedName(string name) => name.Contains('@');

    /// <summary>Creates a sealed segment of <paramref name="length"/> bytes; null when memfd is not available here.</summary>
    public static RingSegment? TryCreate(long length)
    {
        var segment = RingSegment.NewName();
        var handle = Memfd.TryCreateSealed(segment, length);
        if (handle is null) return null;
        try
        {
            var fd = (int)handle.DangerousGetHandle();
            var pid = Environment.ProcessId;
            var map = MemoryMappedFile.CreateFromFile(handle, null, length, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false);
            return new RingSegment(segment + "@" + pid.ToString(CultureInfo.InvariantCulture) + "." + fd.ToString(CultureInfo.InvariantCulture), PathOf(pid, fd), map, length, IsSealed: true);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens the sealed segment <paramref name="name"/> and checks that it is the ring's memfd (by its
    /// memfd name, so a descriptor number reused after the ring was disposed is never mistaken for
    /// it) and that it carries the shrink, grow and seal seals.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not <c>puma-HEX@PID.FD</c>.</exception>
    /// <exception cref="FileNotFoundException">The creator exited or disposed the ring.</exception>
    /// <exception cref="BufferCorruptedException">The memfd is not sealed against resizing.</exception>
    public static RingSegment Open(string name)
    {
        var (segment, pid, fd) = Parse(name);
        var path = PathOf(pid, fd);
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new FileNotFoundException($"Ring '{name}' is gone: process {pid} has exited or no longer holds descriptor {fd}.", path, error);
        }
        try
        {
            // Checked on the descriptor just opened (not on the path before opening), so nothing can swap it in between.
            var expected = "/memfd:" + segment + " (deleted)";
            var target = new FileInfo("/proc/self/fd/" + ((int)handle.DangerousGetHandle()).ToString(CultureInfo.InvariantCulture)).LinkTarget;
            if (target != expected)
                throw new FileNotFoundException($"Ring '{name}' is gone: descriptor {fd} of process {pid} now opens '{target}', not the ring's memfd '{expected}'.", path);
            var seals = Memfd.GetSeals(handle);
            if ((seals & Memfd.RingSeals) != Memfd.RingSeals)
                throw new BufferCorruptedException($"Ring '{name}': memfd seals 0x{seals:X} lack shrink, grow and seal (0x{Memfd.RingSeals:X}), so it could be resized under the ring.");
            var length = RandomAccess.GetLength(handle);
            var map = MemoryMappedFile.CreateFromFile(handle, null, length, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false);
            return new RingSegment(name, path, map, length, IsSealed: true);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static string PathOf(int pid, int fd) =>
        "/proc/" + pid.ToString(CultureInfo.InvariantCulture) + "/fd/" + fd.ToString(CultureInfo.InvariantCulture);

    private static (string Segment, int Pid, int Fd) Parse(string name)
    {
        var at = name.IndexOf('@');
        var dot = name.IndexOf('.', at + 1);
        var segment = name[..at];
        if (OperatingSystem.IsLinux()
            && segment.Length == Prefix.Length + HexDigits && segment.StartsWith(Prefix, StringComparison.Ordinal)
            && !segment.AsSpan(Prefix.Length).ContainsAnyExcept("0123456789abcdef")
            // Stryker disable once Equality,Arithmetic : dot is -1 or past at, and an empty pid (dot == at + 1) fails int.TryParse anyway
            && dot > at + 1
            && int.TryParse(name.AsSpan(at + 1, dot - at - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0
            && int.TryParse(name.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var fd))
        {
            return (segment, pid, fd);
        }

        throw new ArgumentException($"Ring name '{name}' is neither a sealed segment name 'puma-<32 hex digits>@<pid>.<fd>' (Linux) nor a file name (letters, digits, '-', '_', '.').", nameof(name));
    }
}
