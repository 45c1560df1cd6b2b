using System.Buffers;

namespace Puma.Buffers.Leases;

/// <summary>
/// A <see cref="Memory{T}"/> over unmanaged bytes (a shared-memory ring's data area). It owns
/// nothing: the mapping outlives it, and pinning is a no-op because the bytes never move.
/// </summary>
internal sealed unsafe class UnmanagedMemory(byte* pointer, int length) : MemoryManager<byte>
{
    public override Span<byte> GetSpan() => new(pointer, length);

    public override MemoryHandle Pin(int elementIndex = 0) => new(pointer + elementIndex);

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
    }
}
