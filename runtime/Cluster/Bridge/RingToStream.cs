using System.Buffers;
using System.Buffers.Binary;
using Puma.Buffers.SharedMemory;

namespace Puma.Runtime.Cluster.Bridge;

/// <summary>
/// The sending half of a bridge: reads items from a ring slot (zero-copy) and writes them to a stream
/// in batches (<see cref="BridgeFrames"/>), until the ring completes, the stream fails or the token is cancelled.
/// </summary>
/// <remarks>
/// Small items are copied into a batch buffer and released at once; the batch is written when it is
/// full or when the ring has nothing more right now (a lone item is never held back). An item of
/// <see cref="BridgeFrames.LargeItemBytes"/> or more is written from shared memory and released after
/// the write. While the ring is idle a read on the stream watches for the receiver closing it, so a
/// lost peer ends the pump even when nothing is being sent.
/// </remarks>
internal sealed class RingToStream
{
    private readonly RingReader _reader;
    private readonly Stream _stream;
    private readonly byte[] _batch;
    private readonly PointerMemory _large = new();
    private int _used;
    private nint _pending;
    private int _pendingLength;
    private int _pendingFlags;
    private bool _hasPending;
    private volatile Exception? _peerError;
    private readonly StreamActivity? _activity;

    private RingToStream(RingReader reader, Stream stream, StreamActivity? activity)
    {
        _reader = reader;
        _stream = stream;
        _activity = activity;
        _batch = ArrayPool<byte>.Shared.Rent(BridgeFrames.BatchBytes);
    }

    private enum FillResult
    {
        Empty,
        Full,
        Large,
    }

    /// <summary>
    /// Pumps items from <paramref name="reader"/> to <paramref name="stream"/> until the ring completes
    /// (then writes the end marker, carrying the ring's completion error if any) or the stream fails.
    /// Neither the reader nor the stream is disposed: the caller decides (close the stream; release,
    /// detach or dispose the reader).
    /// </summary>
    /// <param name="reader">The ring slot to read; this pump is its only user until the task ends.</param>
    /// <param name="stream">The connection to the receiving node (<see cref="BridgeConnector"/>, <see cref="BridgeListener"/>).</param>
    /// <param name="cancellationToken">Stops the pump: the task is then cancelled.</param>
    /// <param name="activity">When given, told when the pump waits on a write to the stream and when it returns.</param>
    /// <returns>
    /// <see cref="BridgeEnd.Completed"/> or <see cref="BridgeEnd.CompletedWithError"/> (the ring's
    /// <see cref="RemoteBufferException"/> or <see cref="PeerProcessDiedException"/>) once the end marker
    /// is written; <see cref="BridgeEnd.StreamLost"/> when the stream failed or the receiver closed it.
    /// On a lost stream an item being written stays acquired (not released).
    /// </returns>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    /// <exception cref="Puma.Buffers.BufferCorruptedException">The ring's shared memory holds an impossible value.</exception>
    public static async Task<BridgeEnd> PumpAsync(RingReader reader, Stream stream, CancellationToken cancellationToken, StreamActivity? activity = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanWrite) throw new ArgumentException("The bridge stream must be writable to send items.", nameof(stream));
        var pump = new RingToStream(reader, stream, activity);
        try
        {
            return await pump.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(pump._batch);
        }
    }

    private async Task<BridgeEnd> RunAsync(CancellationToken cancellationToken)
    {
        using var peer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watch = _stream.CanRead ? WatchPeerAsync(peer) : Task.CompletedTask;
        var inStream = false;
        try
        {
            Exception? error = null;
            while (true)
            {
                var filled = Fill();
                if (filled != FillResult.Empty || _used > 0)
                {
                    inStream = true;
                    await FlushAsync(peer.Token).ConfigureAwait(false);
                    if (filled == FillResult.Large)
                    {
                        await WriteAsync(PendingRecord(), peer.Token).ConfigureAwait(false);
                        ReleasePending();
                    }
                    inStream = false;
                    if (filled != FillResult.Empty) continue;
                }
                try
                {
                    if (await _reader.WaitToReadAsync(peer.Token).ConfigureAwait(false)) continue;
                }
                catch (Exception ringError) when (ringError is RemoteBufferException or PeerProcessDiedException)
                {
                    error = ringError;
                }
                break;
            }
            inStream = true;
            // The end marker goes out with the caller's token only: the receiver closes the stream once it
            // has read it, which the watch may see before this write returns.
            await WriteAsync(BridgeFrames.EncodeEnd(error), cancellationToken).ConfigureAwait(false);
            await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            return error is null ? BridgeEnd.Completed.Instance : new BridgeEnd.CompletedWithError(error);
        }
        catch (Exception failure) when (!cancellationToken.IsCancellationRequested && (inStream || _peerError is not null))
        {
            return new BridgeEnd.StreamLost(_peerError ?? failure);
        }
        finally
        {
            await peer.CancelAsync().ConfigureAwait(false);
            await watch.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>
    /// Reads from the stream while the pump runs: the receiver never sends, so a read that ends means the
    /// receiver closed the stream or the connection broke; it then stops the pump.
    /// </summary>
    private async Task WatchPeerAsync(CancellationTokenSource peer)
    {
        var one = new byte[1];
        Exception error;
        try
        {
            var read = await _stream.ReadAsync(one, peer.Token).ConfigureAwait(false);
            error = read == 0
                ? new EndOfStreamException("The receiving node closed the bridge stream.")
                : new InvalidDataException("The receiving node sent data on the bridge stream, which carries items one way only.");
        }
        catch (OperationCanceledException) when (peer.IsCancellationRequested)
        {
            return;
        }
        catch (Exception failure)
        {
            error = failure;
        }
        _peerError = error;
        await peer.CancelAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Copies acquired items into the batch while they fit and the ring has more; leaves the item that
    /// ended the batch acquired. Large: the batch ends with that item's header, its payload goes from the ring.
    /// </summary>
    private unsafe FillResult Fill()
    {
        while (true)
        {
            if (!_hasPending)
            {
                if (!_reader.TryAcquireCore(out var item, out var kind)) return FillResult.Empty;
                fixed (byte* pointer = item) _pending = (nint)pointer;
                _pendingLength = item.Length;
                _pendingFlags = kind & BridgeFrames.ItemFlags;
                _hasPending = true;
            }
            var length = _pendingLength;
            if (length >= BridgeFrames.LargeItemBytes)
                return FillResult.Large;
            if (_used + BridgeFrames.HeaderBytes + length > BridgeFrames.BatchBytes) return FillResult.Full;
            WriteHeader(length, _pendingFlags);
            new ReadOnlySpan<byte>((byte*)_pending, length).CopyTo(_batch.AsSpan(_used));
            _used += length;
            ReleasePending();
        }
    }

    /// <summary>
    /// The acquired large item as one frame to write from shared memory (no copy): the ring record's length and kind
    /// words, just before the payload, are the frame's header (the receiver keeps only the null flag of the kind).
    /// </summary>
    private unsafe ReadOnlyMemory<byte> PendingRecord() =>
        _large.Over(new ReadOnlySpan<byte>((byte*)_pending - BridgeFrames.HeaderBytes, BridgeFrames.HeaderBytes + _pendingLength));

    /// <summary>
    /// The most one stream write carries when the pump reports its activity (one batch: batches are never split, only
    /// large items): a write pending for some time means the receiver took less than this much in that time.
    /// </summary>
    public const int ActivitySliceBytes = BridgeFrames.BatchBytes;

    /// <summary>Writes <paramref name="bytes"/>: in one write, or with an activity to report, in slices of <see cref="ActivitySliceBytes"/>, each reported.</summary>
    private async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        var sliceBytes = _activity is null ? bytes.Length : ActivitySliceBytes;
        while (!bytes.IsEmpty)
        {
            var slice = bytes[..Math.Min(bytes.Length, sliceBytes)];
            _activity?.Waiting();
            await _stream.WriteAsync(slice, cancellationToken).ConfigureAwait(false);
            _activity?.Moved();
            bytes = bytes[slice.Length..];
        }
    }

    private void WriteHeader(int length, int flags)
    {
        BinaryPrimitives.WriteInt32LittleEndian(_batch.AsSpan(_used), length);
        BinaryPrimitives.WriteInt32LittleEndian(_batch.AsSpan(_used + 4), flags);
        _used += BridgeFrames.HeaderBytes;
    }

    private void ReleasePending()
    {
        _hasPending = false;
        _reader.Release();
    }

    private async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_used == 0) return;
        await WriteAsync(_batch.AsMemory(0, _used), cancellationToken).ConfigureAwait(false);
        _used = 0;
    }
}
