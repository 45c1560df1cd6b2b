using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Puma.Buffers.SharedMemory;

namespace Puma.Buffers.Leases;

/// <summary>
/// Turns spans of a ring's data area into <see cref="Memory{T}"/>: a slice of one manager over
/// the whole area when it fits an <see cref="int"/> length (no allocation per item), else a
/// manager per item (rings over 2 GiB).
/// </summary>
internal sealed unsafe class RingMemory(SharedMemoryRing ring)
{
    private readonly UnmanagedMemory? _whole = ring.Capacity <= int.MaxValue ? new UnmanagedMemory(ring.Data, (int)ring.Capacity) : null;

    /// <summary>The memory of <paramref name="span"/>, which lies in the ring's data area.</summary>
    public Memory<byte> Of(ReadOnlySpan<byte> span)
    {
        if (span.IsEmpty)
            return Memory<byte>.Empty;
        var start = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(span));
        if (start < ring.Data || start + span.Length > ring.Data + ring.Capacity)
            throw new InvalidOperationException($"{ring.Label}: a span of {span.Length} bytes at 0x{(nuint)start:x} is not in the ring's data area.");
        if (_whole is null)
            return new UnmanagedMemory(start, span.Length).Memory;
        return _whole.Memory.Slice((int)(start - ring.Data), span.Length);
    }
}
