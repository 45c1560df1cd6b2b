using System.IO.MemoryMappedFiles;

namespace Puma.Buffers.SharedMemory;

/// <summary>
/// Ring segments in a 0600 file under /dev/shm (the temp directory elsewhere): used off Linux, when
/// memfd is not available, and for rings created with an explicit name. Unlike a sealed memfd, a
/// file can be truncated by any process of the same user (which kills every process that maps it
/// with SIGBUS) and outlives a crashed creator until <see cref="SharedMemoryRing.RemoveStale"/> runs.
/// </summary>
internal static class FileSegment
{
    /// <summary>Where segment files live.</summary>
    public static readonly string Directory = OperatingSystem.IsLinux() && System.IO.Directory.Exists("/dev/shm")
        ? "/dev/shm"
        : Path.GetTempPath();

    /// <summary>Creates the file <paramref name="name"/> (which must not exist) of <paramref name="length"/> bytes and maps it.</summary>
    /// <exception cref="ArgumentException">The name is not a valid segment file name.</exception>
    /// <exception cref="IOException">The file exists or cannot be created.</exception>
    public static RingSegment Create(string name, long length)
    {
        ValidateName(name);
        var path = Path.Combine(Directory, name);
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.ReadWrite | FileShare.Delete,
        };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        FileStream stream = new(path, options);
        try
        {
            // Creating the mapping sizes the empty file to length.
            var map = MemoryMappedFile.CreateFromFile(stream, null, length, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false);
            return new RingSegment(name, path, map, length, IsSealed: false);
        }
        catch
        {
            stream.Dispose();
            TryDelete(path);
            throw;
        }
    }

    /// <summary>Opens and maps the existing file <paramref name="name"/>, whatever its size (the caller checks it).</summary>
    /// <exception cref="ArgumentException">The name is not a valid segment file name.</exception>
    /// <exception cref="FileNotFoundException">No segment has that name.</exception>
    public static RingSegment Open(string name, long minimumLength)
    {
        ValidateName(name);
        var path = Path.Combine(Directory, name);
        FileStream stream = new(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        try
        {
            var length = stream.Length;
            if (length < minimumLength)
                throw new BufferCorruptedException($"Segment '{name}' is {length} bytes long, smaller than the smallest ring ({minimumLength} bytes).");
            var map = MemoryMappedFile.CreateFromFile(stream, null, length, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false);
            return new RingSegment(name, path, map, length, IsSealed: false);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Deletes a segment file; false when it could not be deleted.</summary>
    public static bool TryDelete(string path)
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

    private static void ValidateName(string name)
    {
        var valid = name.Length is > 0 and <= 200 && name[0] != '.';
        foreach (var c in name)
            valid &= char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.';
        if (!valid)
            throw new ArgumentException($"Ring name '{name}' must be 1 to 200 letters, digits, '-', '_' or '.', not starting with '.'.", nameof(name));
    }
}
