namespace Puma.Buffers.SharedMemory;

/// <summary>How to create a <see cref="SharedMemoryRing"/>.</summary>
public sealed class SharedMemoryRingOptions
{
    /// <summary>
    /// Size of the data area in bytes: a multiple of 8 between 256 bytes and 16 GiB. The largest
    /// message is half of it minus a 16-byte record header (see <see cref="SharedMemoryRing.MaxMessageBytes"/>).
    /// Default 4 MiB, the smallest default of a <see cref="PumaBuffer"/> (see the ring's README, "Ring size").
    /// </summary>
    public long CapacityBytes { get; init; } = PumaBuffer.MinDefaultCapacityBytes;

    /// <summary>How items are delivered: one reader (default), every reader, or competing readers.</summary>
    public BufferMode Mode { get; init; } = BufferMode.ManyToOne;

    /// <summary>
    /// Number of reader slots, registered at creation so that no item is lost before a reader
    /// attaches; a writer waits for every slot that is pending or attached and alive. Must be 1 for
    /// <see cref="BufferMode.ManyToOne"/>; the number of broadcast or competing readers otherwise (1 to 256).
    /// </summary>
    public int Readers { get; init; } = 1;

    /// <summary>
    /// Number of writer references (1 to 1,048,576). Each writer end opened takes one; the ring
    /// completes normally once every reference has been released.
    /// </summary>
    public int Writers { get; init; } = 1;

    /// <summary>
    /// Name of the segment (letters, digits, '-', '_' and '.', at most 200 characters); when null a
    /// name is generated: <c>puma-</c> plus 128 random bits in hex.
    /// </summary>
    public string? Name { get; init; }
}
