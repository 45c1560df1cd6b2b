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
}
