namespace Puma.Buffers.SharedMemory;

// Stale segment cleanup (the /dev/shm file fallback).
public sealed unsafe partial class SharedMemoryRing
{
    /// <summary>
    /// Deletes ring segments whose creator process has died. Called by <see cref="Create"/>;
    /// segments that cannot be read, are not Puma rings of this layout version, or whose sizes do
    /// not match their header are left alone.
    /// </summary>
    /// <returns>The number of segments removed.</returns>
    public static int RemoveStale()
    {
        int removed = 0;
        IEnumerable<string> files;
        try
        {
            files = System.IO.Directory.EnumerateFiles(Directory, NamePrefix + "*");
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
        foreach (string file in files)
        {
            try
            {
                int creator;
                using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
                {
                    if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length) continue;
                    // Only trust the pid of a header that is fully ours (magic, version, sizes), so a
                    // segment in another layout is never mistaken for a stale one.
                    if (BitConverter.ToUInt64(header[RingLayout.MagicOffset..]) != RingLayout.Magic) continue;
                    if (BitConverter.ToInt32(header[RingLayout.VersionOffset..]) != RingLayout.Version) continue;
                    int readers = BitConverter.ToInt32(header[RingLayout.ReaderSlotsOffset..]);
                    if (readers is < 1 or > RingLayout.MaxReaderSlots) continue;
                    int dataOffset = BitConverter.ToInt32(header[RingLayout.DataOffsetOffset..]);
                    if (dataOffset != RingLayout.DataOffset(readers)) continue;
                    if (BitConverter.ToInt64(header[RingLayout.CapacityOffset..]) + dataOffset != stream.Length) continue;
                    creator = BitConverter.ToInt32(header[RingLayout.CreatorPidOffset..]);
                }
                if (!ProcessLiveness.IsAlive(creator) && TryDelete(file)) removed++;
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

    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
