using System.Buffers;
using System.Runtime.InteropServices;

namespace Puma.Buffers.Leases;

/// <summary>A <see cref="Memory{T}"/> of bytes over the elements of an array of unmanaged structs (no copy).</summary>
/// <typeparam name="TElement">The element type, without references.</typeparam>
internal sealed unsafe class ElementBytes<TElement>(TElement[] array) : MemoryManager<byte> where TElement : struct
{
    public override Span<byte> GetSpan() => MemoryMarshal.AsBytes(array.AsSpan());

    public override MemoryHandle Pin(int elementIndex = 0)
    {
        var handle = GCHandle.Alloc(array, GCHandleType.Pinned);
        var start = (byte*)handle.AddrOfPinnedObject() + elementIndex;
        return new MemoryHandle(start, handle);
    }

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
    }
}
