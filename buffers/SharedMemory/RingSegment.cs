using System.IO.MemoryMappedFiles;

namespace Puma.Buffers.SharedMemory;

/// <summary>The mapped memory a ring lives in: a sealed memfd (<see cref="SealedSegment"/>) or a file (<see cref="FileSegment"/>).</summary>
/// <param name="Name">The string another process passes to <see cref="SharedMemoryRing.Attach"/>.</param>
/// <param name="Path">A path that opens the segment.</param>
/// <param name="Map">The mapping (owns the descriptor).</param>
/// <param name="Length">The segment's size in bytes.</param>
/// <param name="IsSealed">True for a sealed memfd: nobody can resize it, and it vanishes with its last holder.</param>
internal sealed record RingSegment(string Name, string Path, MemoryMappedFile Map, long Length, bool IsSealed)
{
    /// <summary>"puma-" and 128 random bits in hex: the name of a new segment (memfd name or file name).</summary>
    public static string NewName() => "puma-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    /// <summary>
    /// A new segment of <paramref name="length"/> bytes for any shared object (ring, event, array, value):
    /// a sealed memfd on Linux, else a new 0600 file. The caller writes its own header (magic, version) and
    /// disposes <see cref="Map"/>, deleting <see cref="Path"/> too when the segment is not sealed.
    /// </summary>
    public static RingSegment Create(long length) =>
        SealedSegment.TryCreate(length) ?? FileSegment.Create(NewName(), length);

    /// <summary>Opens the segment another process created and named <paramref name="name"/> (see <see cref="Create"/>).</summary>
    /// <param name="name">The creator's <see cref="Name"/>.</param>
    /// <param name="minimumLength">The smallest length a valid file segment can have (checked for files only).</param>
    public static RingSegment Open(string name, long minimumLength) =>
        SealedSegment.IsSealedName(name) ? SealedSegment.Open(name) : FileSegment.Open(name, minimumLength);

    /// <summary>Unmaps the segment and deletes its file when it has one and <paramref name="isCreator"/> is true.</summary>
    public void Release(bool isCreator)
    {
        Map.Dispose();
        if (isCreator && !IsSealed) FileSegment.TryDelete(Path);
    }
}
