using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using Puma.Buffers.Codecs;

namespace Puma.Buffers.SharedMemory;

/// <summary>
/// A <see cref="ChannelWriter{T}"/> over a shared-memory ring: items are encoded with a codec
/// straight into the ring (or through a scratch buffer for codecs without an up-front size).
/// It holds one writer reference: <see cref="ReleaseWriter"/> gives it back (the ring completes
/// once all are released), whereas <see cref="TryComplete"/> completes the ring for everyone.
/// Use from one thread at a time.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed partial class SharedMemoryChannelWriter<T> : ChannelWriter<T>, IDisposable, ISharedMemoryPort, IBatchingWriter
{
    private readonly RingWriter _writer;
    private readonly IBufferCodec<T> _codec;
    private ArrayBufferWriter<byte>? _scratch;

    internal SharedMemoryChannelWriter(RingWriter writer, IBufferCodec<T> codec)
    {
        _writer = writer;
        _codec = codec;
        _directSize = codec is IRawBytesCodec ? Unsafe.SizeOf<T>() : 0;
    }

    /// <summary>The item's size when it is an unmanaged struct copied as its bytes (the default codec), else 0: no codec call per item.</summary>
    private readonly int _directSize;

    /// <summary>The raw end underneath, for the zero-copy claim/commit path.</summary>
    public RingWriter Raw => _writer;

    /// <summary>
    /// Writes the item if it fits now.
    /// </summary>
    /// <returns>False when the ring is full or completed.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The encoded item is larger than the ring's largest message; the message names both sizes.</exception>
    // Compiled optimized at its first call: an instantiation over a user's item type has no ReadyToRun code, and a
    // child that streams from its start would run it unoptimized until tiering catches up. (The cost: no ReadyToRun
    // code for any item type and no PGO; see the ring README, "The hot paths".)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override bool TryWrite(T item)
    {
        if (_directSize != 0)
        {
            if (!_writer.TryClaimInPlace(_directSize, out var direct)) return false;
            if (_writer.CanStream)
            {
                _writer.CommitStreamed(ref Unsafe.As<T, byte>(ref item));
                return true;
            }
            Unsafe.WriteUnaligned(ref MemoryMarshal.GetReference(direct), item);
            _writer.Commit();
            return true;
        }
        if (item is null)
        {
            if (!_writer.TryClaim(0, out _)) return false;
            _writer.CommitCore(RingLayout.FlagNull);
            return true;
        }
        if (_codec.TryGetByteCount(item, out var size))
        {
            if (!_writer.TryClaim(size, out var span)) return false;
            try
            {
                _codec.Encode(item, span);
            }
            catch
            {
                _writer.Abort();
                throw;
            }
            _writer.Commit();
            return true;
        }
        var encoded = EncodeToScratch(item);
        if (!_writer.TryClaim(encoded.Length, out var target)) return false;
        encoded.CopyTo(target);
        _writer.Commit();
        return true;
    }

    /// <summary>
    /// Waits until there is room for a small item (true) or the ring is completed (false).
    /// Spins briefly, then waits on a dedicated thread; synchronous and allocation-free when there is room.
    /// </summary>
    public override ValueTask<bool> WaitToWriteAsync(CancellationToken cancellationToken = default) =>
        _writer.WaitToWriteAsync(0, cancellationToken);

    /// <summary>Writes the item, waiting for room as long as needed (for that item's size).</summary>
    /// <exception cref="ChannelClosedException">The ring was completed.</exception>
    /// <exception cref="PeerProcessDiedException">Every reader this writer waits for has died.</exception>
    /// <exception cref="BufferCorruptedException">Shared memory holds an impossible value (named in the message); a wait notices it within a park slice.</exception>
    public override ValueTask WriteAsync(T item, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled(cancellationToken);
        try
        {
            if (TryWrite(item)) return default;
            if (_writer.IsCompleted) return ValueTask.FromException(_writer.CompletedException());
        }
        catch (Exception error)
        {
            return ValueTask.FromException(error);
        }
        return WriteSlowAsync(item, cancellationToken);
    }

    private async ValueTask WriteSlowAsync(T item, CancellationToken cancellationToken)
    {
        var size = SizeOf(item);
        _writer.CountWait();
        while (true)
        {
            if (!await _writer.WaitToWriteAsync(size, cancellationToken).ConfigureAwait(false)) throw _writer.CompletedException();
            if (TryWrite(item)) return;
        }
    }

    /// <summary>
    /// Completes the ring for every writer and reader; with an error, readers throw a
    /// <see cref="RemoteBufferException"/> carrying its type, message and stack after draining.
    /// </summary>
    /// <returns>False when the ring was already completed.</returns>
    public override bool TryComplete(Exception? error = null) => _writer.TryComplete(error);

    /// <summary>
    /// Starts a batch: items written until <see cref="Flush"/> are published together (see <see cref="RingWriter.BeginBatch"/>;
    /// a batch is published early when it holds an eighth of the ring, a reader is parked, or the end waits or completes).
    /// A runnable's loop does this for its output ports around each batch of input items it handles.
    /// </summary>
    public void BeginBatch() => _writer.BeginBatch();

    /// <summary>Publishes the pending batch and ends it (see <see cref="RingWriter.Flush"/>).</summary>
    public void Flush() => _writer.Flush();

    /// <inheritdoc />
    bool IBatchingWriter.CanBatch => true;

    /// <summary>Gives back this end's writer reference; the ring completes normally once every reference is released.</summary>
    public void ReleaseWriter() => _writer.ReleaseWriter();

    /// <summary>Gives back this end's writer reference (see <see cref="ReleaseWriter"/>).</summary>
    void ISharedMemoryPort.Release() => ReleaseWriter();

    /// <inheritdoc />
    void ISharedMemoryPort.CountWith(Metrics.EndCounters counters) => _writer.CountWith(counters);

    /// <summary>Hands the writer reference back without releasing it, for a restarted writer (see <see cref="RingWriter.Detach"/>).</summary>
    public void Detach()
    {
        _writer.Detach();
        _writer.Ring.Untrack(this);
    }

    /// <summary>Releases the writer reference and disposes the raw end.</summary>
    public void Dispose()
    {
        _writer.Dispose();
        _writer.Ring.Untrack(this);
    }

    private int SizeOf(T item)
    {
        if (item is null) return 0;
        if (_codec.TryGetByteCount(item, out var size)) return size;
        return EncodeToScratch(item).Length;
    }

    private ReadOnlySpan<byte> EncodeToScratch(T item)
    {
        _scratch ??= new ArrayBufferWriter<byte>(256);
        _scratch.ResetWrittenCount();
        _codec.Encode(item, _scratch);
        return _scratch.WrittenSpan;
    }
}
