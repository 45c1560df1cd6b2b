using System.Buffers;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Puma.Buffers.Leases;

namespace Puma.Buffers;

/// <summary>
/// Claims over an in-process channel: a claim is the item's own memory, allocated at its exact
/// length (uninitialized: the caller fills it), and the commit writes that item. A
/// <c>byte[]</c>, <see cref="ReadOnlyMemory{T}"/> or array claim is a new array; an
/// <see cref="IMemoryOwner{T}"/> claim is a pooled owner the reader disposes; a struct claim is a
/// scratch array read back as the struct on commit.
/// </summary>
/// <remarks>
/// Large byte arrays come from the buffer's <see cref="RecycledArrays"/> (except in broadcast buffers):
/// a lease that ends gives its claimed array back for the next claim; an item read with <c>TryRead</c>
/// stays the reader's.
/// </remarks>
internal sealed class InProcessClaims<T>(ChannelWriter<T> writer, Func<bool> hasRoom, RecycledArrays? arrays, string label)
{
    private static readonly ArrayBytes? Arrays = ItemLayout<T>.Kind == ItemLayoutKind.UnmanagedArray ? ArrayBytes.For(typeof(T).GetElementType()!) : null;
    private byte[]? _structBytes;
    private object? _pending;
    private const int Free = 0, Claiming = 1, Claimed = 2;
    private Memory<byte> _pendingBytes;
    private int _state;

    public bool TryClaim(int length, out Span<byte> span)
    {
        Enter(length);
        if (!hasRoom() || !IsOpen())
        {
            Volatile.Write(ref _state, Free);
            span = default;
            return false;
        }
        span = Claim(length).Span;
        return true;
    }

    public async ValueTask<Memory<byte>> ClaimAsync(int length, CancellationToken cancellationToken)
    {
        Enter(length);
        try
        {
            if (!(hasRoom() && IsOpen()) && !await writer.WaitToWriteAsync(cancellationToken).ConfigureAwait(false))
                throw new ChannelClosedException($"{label} is completed: no more items can be claimed.");
        }
        catch
        {
            Volatile.Write(ref _state, Free);
            throw;
        }
        return Claim(length);
    }

    /// <remarks>
    /// The room was there at the claim; another writer of the same buffer may have taken it since,
    /// and then the commit waits for room (blocking) rather than lose the item.
    /// </remarks>
    public void Commit()
    {
        var item = TakePending();
        if (!writer.TryWrite(item))
            writer.WriteAsync(item).AsTask().GetAwaiter().GetResult();
    }

    public void Abort()
    {
        var pending = _pending;
        var item = TakePending();
        if (item is IMemoryOwner<byte> owner)
            owner.Dispose();
        else if (pending is byte[] bytes)
            arrays?.Return(bytes);
    }

    /// <summary>False once the channel is completed. Asked when there is room, so the wait completes at once.</summary>
    private bool IsOpen()
    {
        var ready = writer.WaitToWriteAsync();
        if (ready.IsCompletedSuccessfully)
            return ready.Result;
        if (!ready.IsCompleted)
            return true; // another writer took the room meanwhile: open, and the commit waits for room
        _ = ready.AsTask().Exception; // completed with an error: observed here, thrown by the next write
        return false;
    }

    /// <remarks>
    /// Atomic, so that runnables of this process sharing the writer end (which must take turns with
    /// claims: Commit names no claim) get this clear error rather than each other's item.
    /// </remarks>
    private void Enter(int length)
    {
        ItemLayout<T>.EnsureSupported("claim");
        ItemLayout<T>.EnsureLength(length);
        if (Interlocked.CompareExchange(ref _state, Claiming, Free) != Free)
            throw new InvalidOperationException($"{label}: a claim is pending; commit or abort it before claiming the next item.");
    }

    private Memory<byte> Claim(int length)
    {
        switch (ItemLayout<T>.Kind)
        {
            case ItemLayoutKind.ByteArray:
            case ItemLayoutKind.ByteMemory:
                var bytes = arrays?.Rent(length) ?? GC.AllocateUninitializedArray<byte>(length);
                _pending = bytes;
                _pendingBytes = bytes;
                break;
            case ItemLayoutKind.MemoryOwner:
                var owner = new PooledMemoryOwner(length);
                _pending = owner;
                _pendingBytes = owner.Memory;
                break;
            case ItemLayoutKind.UnmanagedArray:
                var array = Arrays!.Allocate(length);
                _pending = array;
                _pendingBytes = Arrays.Of(array);
                break;
            default:
                _pendingBytes = _structBytes ??= new byte[ItemLayout<T>.ElementSize];
                _pending = null;
                break;
        }
        Volatile.Write(ref _state, Claimed);
        return _pendingBytes;
    }

    private T TakePending()
    {
        if (Volatile.Read(ref _state) != Claimed)
            throw new InvalidOperationException($"{label}: Commit or Abort needs a pending claim; call TryClaim or ClaimAsync first.");
        var pending = _pending;
        _pending = null;
        _pendingBytes = default;
        var item = ItemOf(pending);
        Volatile.Write(ref _state, Free);
        return item;
    }

    private T ItemOf(object? pending) => ItemLayout<T>.Kind switch
    {
        ItemLayoutKind.ByteMemory => (T)(object)new ReadOnlyMemory<byte>((byte[])pending!),
        ItemLayoutKind.Unmanaged => Unsafe.ReadUnaligned<T>(ref _structBytes![0]),
        _ => (T)pending!,
    };
}
