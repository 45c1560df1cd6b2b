using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using Puma.Buffers.Leases;

namespace Puma.Buffers;

/// <summary>
/// Leases over an in-process channel: the item is read and its own memory lent (handed over, no
/// copy); an unmanaged struct is lent through a scratch array of its size. An
/// <see cref="IMemoryOwner{T}"/> item is disposed when its lease ends, unless the buffer is a
/// broadcast one (its readers share the owner; nobody disposes it). A large array a claim of the
/// buffer made goes back to its <see cref="RecycledArrays"/> when its lease ends.
/// </summary>
internal sealed class InProcessLeases<T>(ChannelReader<T> reader, bool disposeOwners, RecycledArrays? arrays) : ILeaseOwner
{
    private static readonly ArrayBytes? Arrays = ItemLayout<T>.Kind == ItemLayoutKind.UnmanagedArray ? ArrayBytes.For(typeof(T).GetElementType()!) : null;
    private byte[]? _structBytes;
    private IMemoryOwner<byte>? _owner;
    private byte[]? _array;
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
        _leased = true;
        lease = new ItemLease(this, ++_token, BytesOf(item));
        return true;
    }

    void ILeaseOwner.EndLease(long token)
    {
        if (!_leased || token != _token)
            return;
        _leased = false;
        var owner = _owner;
        _owner = null;
        if (disposeOwners)
            owner?.Dispose();
        var array = _array;
        _array = null;
        arrays?.Return(array);
    }

    private ReadOnlyMemory<byte> BytesOf(T item)
    {
        switch (ItemLayout<T>.Kind)
        {
            case ItemLayoutKind.ByteArray:
                _array = Unsafe.As<T, byte[]?>(ref item);
                return _array ?? ReadOnlyMemory<byte>.Empty;
            case ItemLayoutKind.ByteMemory:
                var memory = Unsafe.As<T, ReadOnlyMemory<byte>>(ref item);
                if (MemoryMarshal.TryGetArray(memory, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length)
                    _array = segment.Array;
                return memory;
            case ItemLayoutKind.MemoryOwner:
                _owner = Unsafe.As<T, IMemoryOwner<byte>?>(ref item);
                return _owner?.Memory ?? ReadOnlyMemory<byte>.Empty;
            case ItemLayoutKind.UnmanagedArray:
                return item is null ? ReadOnlyMemory<byte>.Empty : Arrays!.Of(item);
            default:
                _structBytes ??= new byte[ItemLayout<T>.ElementSize];
                Unsafe.WriteUnaligned(ref _structBytes[0], item);
                return _structBytes;
        }
    }
}
