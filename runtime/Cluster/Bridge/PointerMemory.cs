using System.Buffers;

namespace Puma.Runtime.Cluster.Bridge;

/// <summary>
/// A <see cref="Memory{T}"/> over unmanaged memory (a span of a shared-memory ring), so that a stream can
/// read into or write from the ring without a copy. The memory must stay mapped while it is in use: a
/// pump points it at an acquired or claimed record and releases or commits that record only after the I/O.
/// </summary>
internal sealed unsafe class PointerMemory : MemoryManager<byte>
{
    private byte* _pointer;
    private int _length;

    /// <summary>Points this memory at <paramref name="span"/>, which lies in memory that does not move (shared memory).</summary>
    public Memory<byte> Over(ReadOnlySpan<byte> span)
    {
        fixed (byte* pointer = span) _pointer = pointer;
        _length = span.Length;
        return Memory;
    }

    /// <inheritdoc />
    public override Span<byte> GetSpan() => new(_pointer, _length);

    /// <inheritdoc />
    public override MemoryHandle Pin(int elementIndex = 0) => new(_pointer + elementIndex);

    /// <inheritdoc />
    public override void Unpin()
    {
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        _pointer = null;
        _length = 0;
    }
}
