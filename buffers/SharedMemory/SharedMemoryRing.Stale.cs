namespace Puma.Buffers.SharedMemory;

// Stale segment cleanup (the /dev/shm file fallback).
public sealed unsafe partial class SharedMemoryRing
{
    /// <summary>How long a segment file shorter than its header line is left alone (it may be being created).</summary>
    private static readonly TimeSpan HeaderlessGrace = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Deletes segment files (the file fallback; sealed memfd segments cannot outlive their
    /// holders) whose creator process has died, including files truncated under their ring, as long
    /// as their header line is intact. A <c>puma-</c> file too short to hold a header line (truncated,
    /// or its creator died creating it) is deleted once nobody has written it for a minute. Files
    /// that cannot be read or whose header line is not a Puma ring header of this layout version
    /// are left alone. Called by <see cref="Create"/> before it creates a file segment.
    /// </summary>
    /// <returns>The number of segments removed.</returns>
    public static int RemoveStale()
    {
        var removed = 0;
        IEnumerable<string> files;
        try
        {
            files = System.IO.Directory.EnumerateFiles(FileSegment.Directory, NamePrefix + "*");
        }
        catch (IOException)
        {
            return 0;
        }
        catch (UnauthorizedAccessException)
        {
            return 0;
        }
        Span<byte> header = stackalloc byte[RingLayout.LineBytes];
        foreach (var file in files)
        {
            try
            {
                if (IsStale(file, header) && FileSegment.TryDelete(file)) removed++;
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return removed;
    }

    private static bool IsStale(string file, Span<byte> header)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length)
            // Stryker disable once Equality : > versus >= differs only when the file's age is exactly the grace period, to the tick; no test can hit that instant
            return DateTime.UtcNow - File.GetLastWriteTimeUtc(file) > HeaderlessGrace;
        // Only trust the pid of a header line that is ours (magic and version), so a file in another
        // layout is never mistaken for a stale segment. The size is not required to match the header:
        // a segment truncated under its ring killed its processes and must still be cleaned up.
        if (BitConverter.ToUInt64(header[RingLayout.MagicOffset..]) != RingLayout.Magic) return false;
        if (BitConverter.ToInt32(header[RingLayout.VersionOffset..]) != RingLayout.Version) return false;
        return !ProcessLiveness.IsAlive(BitConverter.ToInt32(header[RingLayout.CreatorPidOffset..]));
    }
}
