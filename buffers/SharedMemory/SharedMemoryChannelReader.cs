using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using Puma.Buffers.Codecs;

namespace Puma.Buffers.SharedMemory;

/// <summary>
/// A <see cref="ChannelReader{T}"/> over one reader slot of a shared-memory ring. After the ring
/// is completed with an error and drained, waits throw a <see cref="RemoteBufferException"/>
/// (the remote type, message and stack) and <see cref="Completion"/> faults with it, as a
/// System.Threading.Channels channel does after <c>Complete(error)</c>. Use from one thread at a time.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed partial class SharedMemoryChannelReader<T> : ChannelReader<T>, IDisposable, ISharedMemoryPort
{
    private readonly RingReader _reader;
    private readonly IBufferCodec<T> _codec;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal SharedMemoryChannelReader(RingReader reader, IBufferCodec<T> codec)
    {
        _reader = reader;
        _codec = codec;
        _directSize = codec is IRawBytesCodec ? Unsafe.SizeOf<T>() : -1;
    }

    /// <summary>The item's size when it is an unmanaged struct copied as its bytes (the default codec), else -1: no codec call per item.</summary>
    private readonly int _directSize;

    /// <summary>The raw end underneath, for the zero-copy acquire/release path.</summary>
    public RingReader Raw => _reader;

    /// <summary>Completes when the ring is completed and this reader has drained it; faults with the ring's error.</summary>
    public override Task Completion => _completion.Task;

    /// <summary>Reads the next item if one is available now.</summary>
    /// <exception cref="BufferCorruptedException">A record in shared memory is out of bounds.</exception>
    // Compiled optimized at its first call: an instantiation over a user's item type has no ReadyToRun code, and a
    // child that streams from its start would run it unoptimized until tiering catches up. (The cost: no ReadyToRun
    // code for any item type and no PGO; see the ring README, "The hot paths".)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool TryRead(out T item)
    {
        if (_reader.TryAcquireCore(out var message, out var kind))
        {
            if (message.Length == _directSize)
            {
                // An unmanaged struct: a copy that cannot throw, so no try/finally in the way of inlining.
                item = Unsafe.ReadUnaligned<T>(ref MemoryMarshal.GetReference(message));
                _reader.Release();
                return true;
            }
            item = DecodeAndRelease(message, kind);
            return true;
        }
        item = default!;
        if (_reader.Ring.IsCompleted) NoteCompletion();
        return false;
    }

    /// <summary>Decodes an acquired record with the codec and releases it, also when the codec throws.</summary>
    private T DecodeAndRelease(ReadOnlySpan<byte> message, int kind)
    {
        try
        {
            return (kind & RingLayout.FlagNull) != 0 ? default! : _codec.Decode(message);
        }
        finally
        {
            _reader.Release();
        }
    }

    /// <summary>
    /// Waits for an item (true) or for completion after draining (false). Spins briefly, then waits
    /// on a dedicated thread; synchronous and allocation-free when an item is already there.
    /// </summary>
    /// <exception cref="RemoteBufferException">The ring was completed with an error (after draining).</exception>
    /// <exception cref="PeerProcessDiedException">A writer process died without completing (after draining).</exception>
    /// <exception cref="BufferCorruptedException">Shared memory holds an impossible value (named in the message); noticed within a park slice.</exception>
    public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default)
    {
        var wait = _reader.WaitToReadAsync(cancellationToken);
        if (wait.IsCompletedSuccessfully)
        {
            var more = wait.Result;
            if (!more) _completion.TrySetResult();
            return new ValueTask<bool>(more);
        }
        return Observe(wait);
    }

    private async ValueTask<bool> Observe(ValueTask<bool> wait)
    {
        try
        {
            var more = await wait.ConfigureAwait(false);
            if (!more) _completion.TrySetResult();
            return more;
        }
        catch (Exception error) when (error is RemoteBufferException or PeerProcessDiedException or BufferCorruptedException)
        {
            _completion.TrySetException(error);
            throw;
        }
    }

    /// <summary>Hands the reader slot back as pending, keeping its position, for a restarted reader (see <see cref="RingReader.Detach"/>).</summary>
    public void Detach()
    {
        _reader.Detach();
        _reader.Ring.Untrack(this);
    }

    /// <inheritdoc />
    void ISharedMemoryPort.CountWith(Metrics.EndCounters counters) => _reader.CountWith(counters);

    /// <summary>Closes the reader slot (see <see cref="Dispose"/>).</summary>
    void ISharedMemoryPort.Release() => Dispose();

    /// <summary>Closes the reader slot: writers stop waiting for it.</summary>
    public void Dispose()
    {
        _reader.Dispose();
        _reader.Ring.Untrack(this);
    }

    private void NoteCompletion()
    {
        try
        {
            if (!_reader.ReadyResult()) _completion.TrySetResult();
        }
        catch (Exception error) when (error is RemoteBufferException or BufferCorruptedException)
        {
            _completion.TrySetException(error);
            if (error is BufferCorruptedException) throw;
        }
    }
}
