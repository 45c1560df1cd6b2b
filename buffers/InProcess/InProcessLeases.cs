using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using Puma.Buffers.Leases;

namespace Puma.Buffers;

/// <summary>
/// Leases over an in-process channel: the item is read and its own memory lent (handed over, no
/// copy); an unmanaged struct is lent through an array of its size. An <see cref="IMemoryOwner{T}"/>
/// item is disposed when its lease ends, unless the buffer is a broadcast one (its readers share the
/// owner; nobody disposes it). A large array a claim of the buffer made goes back to its
/// <see cref="RecycledArrays"/> when its lease ends.
/// </summary>
/// <remarks>
/// A <see cref="BufferMode.Competing"/> buffer's one reader end is shared by the runnables that share
/// the work, on their own threads: then (<paramref name="concurrent"/>) leases keep no state here,
/// several may be held at once, and a struct gets an array of its own per lease. Otherwise one lease
/// at a time, as over shared memory, and structs share one scratch array.
/// </remarks>
internal sealed class InProcessLeases<T>(ChannelReader<T> reader, bool disposeOwners, RecycledArrays? arrays, bool concurrent) : ILeaseOwner
{
    private static readonly ArrayBytes? Arrays = ItemLayout<T>.Kind == ItemLayoutKind.UnmanagedArray ? ArrayBytes.For(typeof(T).GetElementType()!) : null;
    private byte[]? _structBytes;
    private long _token;
    private bool _leased;

    public bool TryLease(out ItemLease lease)
    {
        ItemLayout<T>.EnsureSupported("lease");
        if (_leased)
            throw new InvalidOperationException($"{reader}: the previous lease is still held; dispose it before leasing the next item.");
        if (!reader.TryRead(out var item))
        {
            lease = default;
            return false;
        }
        var memory = BytesOf(item, out var held);
        if (concurrent)
        {
            lease = new ItemLease(this, 0, memory, held);
            return true;
        }
        _leased = true;
        lease = new ItemLease(this, ++_token, memory, held);
        return true;
    }

    void ILeaseOwner.EndLease(long token, HeldItem? held)
    {
        if (!concurrent)
        {
            if (!_leased || token != _token)
                return;
            _leased = false;
        }
        switch (held?.Take())
        {
            case IMemoryOwner<byte> owner when disposeOwners:
                owner.Dispose();
                break;
            case byte[] array:
                arrays!.Return(array);
                break;
        }
    }

    private ReadOnlyMemory<byte> BytesOf(T item, out HeldItem? held)
    {
        held = null;
        switch (ItemLayout<T>.Kind)
        {
            case ItemLayoutKind.ByteArray:
                var bytes = Unsafe.As<T, byte[]?>(ref item);
                held = Recyclable(bytes);
                return bytes ?? ReadOnlyMemory<byte>.Empty;
            case ItemLayoutKind.ByteMemory:
                var memory = Unsafe.As<T, ReadOnlyMemory<byte>>(ref item);
                if (MemoryMarshal.TryGetArray(memory, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length)
                    held = Recyclable(segment.Array);
                return memory;
            case ItemLayoutKind.MemoryOwner:
                var owner = Unsafe.As<T, IMemoryOwner<byte>?>(ref item);
                if (owner is null)
                    return ReadOnlyMemory<byte>.Empty;
                if (disposeOwners)
                    held = new HeldItem(owner);
                return owner.Memory;
            case ItemLayoutKind.UnmanagedArray:
                return item is null ? ReadOnlyMemory<byte>.Empty : Arrays!.Of(item);
            default:
                var scratch = concurrent ? new byte[ItemLayout<T>.ElementSize] : _structBytes ??= new byte[ItemLayout<T>.ElementSize];
                Unsafe.WriteUnaligned(ref scratch[0], item);
                return scratch;
        }
    }

    /// <summary>Something to give back at the lease's end for an array the buffer may have made; null for small arrays (never recycled).</summary>
    private HeldItem? Recyclable(byte[]? array) =>
        arrays is not null && array is { Length: >= RecycledArrays.MinLength } ? new HeldItem(array) : null;
}
