using System.Runtime.InteropServices;

namespace Puma.Buffers;

/// <summary>
/// The head (readers' position) and the tail (writers') of a <see cref="LockFreeChannel{T}"/>, each on a cache line
/// of its own, so that a writer's CAS does not take the line a reader's CAS needs. (Outside the generic channel:
/// generic types cannot have an explicit layout.)
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 3 * CacheLine)]
internal struct ChannelPositions
{
    private const int CacheLine = 64;

    /// <summary>The readers' position: a lap and an index.</summary>
    [FieldOffset(CacheLine)]
    public long Head;

    /// <summary>The writers' position: a lap and an index, and the completion mark.</summary>
    [FieldOffset(2 * CacheLine)]
    public long Tail;
}
