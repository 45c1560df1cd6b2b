using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using System.Threading.Channels;
using Puma.Buffers.SharedMemory;

namespace Puma.Runtime.Cluster.Bridge;

/// <summary>
/// The receiving half of a bridge: reads frames (<see cref="BridgeFrames"/>) from a stream and writes each
/// item into a ring, until an end marker arrives, the stream fails, the ring's readers are gone or the
/// token is cancelled.
/// </summary>
/// <remarks>
/// Backpressure: while the ring has no room for the next item the pump does not read the stream, so the
/// socket's receive buffer fills and TCP's window stops the sender. A large item (or one that does not
/// fit the read buffer) is read from the socket straight into its claimed span. Every
/// <see cref="ReaderCheckMs"/> a timer checks that the ring still has a live reader, so readers that go
/// away are noticed even while no item arrives.
/// </remarks>
internal sealed class StreamToRing
{
    /// <summary>How often the pump checks that the ring still has a live reader while it waits on the stream.</summary>
    public const int ReaderCheckMs = 250;

    private readonly Stream _stream;
    private readonly RingWriter _writer;
    private readonly byte[] _buffer;
    private readonly PointerMemory _claimed = new();
    private int _start;
    private int _end;
    private int _largeFlags;
    private bool _largeStream;
    private int _lastLargeLength;
    private readonly PointerMemory _speculative = new();
    private volatile Exception? _readerGone;
    private readonly StreamActivity? _activity;

    private StreamToRing(Stream stream, RingWriter writer, StreamActivity? activity)
    {
        _stream = stream;
        _writer = writer;
        _activity = activity;
        _buffer = ArrayPool<byte>.Shared.Rent(BridgeFrames.ReceiveBufferBytes);
    }

    private enum Step
    {
        Read,
        Space,
        Large,
        EndCompleted,
        EndWithError,
    }

    /// <summary>
    /// Pumps items from <paramref name="stream"/> into <paramref name="writer"/>'s ring. The writer is
    /// neither completed nor released nor detached: the caller decides from the result
    /// (<see cref="RingWriter.ReleaseWriter"/> on <see cref="BridgeEnd.Completed"/>,
    /// <see cref="RingWriter.TryComplete"/> with the error on <see cref="BridgeEnd.CompletedWithError"/>,
    /// <see cref="RingWriter.Detach"/> to wait for a reconnect on <see cref="BridgeEnd.StreamLost"/>).
    /// The stream is closed only on <see cref="BridgeEnd.ReaderGone"/> (so that the sender stops);
    /// otherwise the caller closes it.
    /// </summary>
    /// <param name="stream">The connection from the sending node.</param>
    /// <param name="writer">The ring's writer end; this pump is its only user until the task ends.</param>
    /// <param name="cancellationToken">Stops the pump: the task is then cancelled.</param>
    /// <param name="activity">When given, told when the pump waits on the stream and when a read returns.</param>
    /// <returns>
    /// <see cref="BridgeEnd.Completed"/>; <see cref="BridgeEnd.CompletedWithError"/> with a
    /// <see cref="RemoteBufferException"/> (the sender's type, message and stack);
    /// <see cref="BridgeEnd.StreamLost"/> when the stream failed, ended without an end marker or carried
    /// something that is not a frame; <see cref="BridgeEnd.ReaderGone"/> when the ring can take no more.
    /// </returns>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An item is larger than the ring's largest item (the ring's message names both sizes); the stream is closed.</exception>
    /// <exception cref="Puma.Buffers.BufferCorruptedException">The ring's shared memory holds an impossible value.</exception>
    public static async Task<BridgeEnd> PumpAsync(Stream stream, RingWriter writer, CancellationToken cancellationToken, StreamActivity? activity = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(writer);
        if (!stream.CanRead) throw new ArgumentException("The bridge stream must be readable to receive items.", nameof(stream));
        var pump = new StreamToRing(stream, writer, activity);
        try
        {
            return await pump.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (writer.HasClaim) writer.Abort();
            ArrayPool<byte>.Shared.Return(pump._buffer);
        }
    }

    private async Task<BridgeEnd> RunAsync(CancellationToken cancellationToken)
    {
        using var gone = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var timer = new Timer(_ => CheckReaders(gone), null, ReaderCheckMs, ReaderCheckMs);
        var token = gone.Token;
        var inStream = false;
        try
        {
            while (true)
            {
                inStream = true;
                if (_largeStream && _start == _end && _stream is NetworkStream { DataAvailable: true } && await TryReadLikeLastAsync(token).ConfigureAwait(false))
                    continue;
                inStream = false;
                var step = Drain(out var need);
                switch (step)
                {
                    case Step.Read:
                        inStream = true;
                        await FillAsync(need, token).ConfigureAwait(false);
                        break;
                    case Step.Space:
                        if (!await _writer.WaitToWriteAsync(need, token).ConfigureAwait(false))
                            return Gone(CompletionError());
                        break;
                    case Step.Large:
                        if (!TryClaimLarge(need, out var claimed))
                        {
                            if (!await _writer.WaitToWriteAsync(need, token).ConfigureAwait(false))
                                return Gone(CompletionError());
                            break;
                        }
                        inStream = true;
                        await ReadExactlyAsync(claimed, token).ConfigureAwait(false);
                        _writer.CommitCore(_largeFlags);
                        break;
                    case Step.EndCompleted:
                        return BridgeEnd.Completed.Instance;
                    default: // Step.EndWithError: the body length is read, the body follows
                        inStream = true;
                        await FillAsync(need, token).ConfigureAwait(false);
                        return new BridgeEnd.CompletedWithError(BridgeFrames.DecodeError(_buffer.AsSpan(_start, need)));
                }
            }
        }
        catch (PeerProcessDiedException died)
        {
            return Gone(died);
        }
        catch (ArgumentOutOfRangeException)
        {
            _stream.Dispose(); // an item larger than the ring takes: the sender must stop too
            throw;
        }
        catch (InvalidDataException notAFrame) when (!cancellationToken.IsCancellationRequested)
        {
            return new BridgeEnd.StreamLost(notAFrame);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && _readerGone is { } reason)
        {
            return Gone(reason);
        }
        catch (Exception failure) when (!cancellationToken.IsCancellationRequested && inStream)
        {
            return new BridgeEnd.StreamLost(failure);
        }
        finally
        {
            await timer.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Closes the stream (the sender's pump then ends with a lost stream) and reports the ring's readers gone.</summary>
    private BridgeEnd.ReaderGone Gone(Exception reason)
    {
        _stream.Dispose();
        return new BridgeEnd.ReaderGone(reason);
    }

    /// <summary>
    /// Writes every whole item in the read buffer into the ring while it has room. Returns what the
    /// pump must do next; <paramref name="need"/> is the bytes to have buffered from the frame start
    /// (<see cref="Step.Read"/>, <see cref="Step.EndWithError"/>) or the item length (<see cref="Step.Space"/>, <see cref="Step.Large"/>).
    /// </summary>
    /// <exception cref="InvalidDataException">A header is neither an item length nor an end marker.</exception>
    private Step Drain(out int need)
    {
        while (true)
        {
            var available = _end - _start;
            if (available < BridgeFrames.HeaderBytes)
            {
                need = BridgeFrames.HeaderBytes;
                return Step.Read;
            }
            var header = BinaryPrimitives.ReadInt32LittleEndian(_buffer.AsSpan(_start));
            if (header < 0)
                return EndStep(header, available, out need);
            var frame = BridgeFrames.HeaderBytes + header;
            _largeStream = header >= BridgeFrames.LargeItemBytes;
            _lastLargeLength = _largeStream ? header : 0;
            if (available < frame)
            {
                need = header;
                if (header >= BridgeFrames.LargeItemBytes || frame > _buffer.Length) return Step.Large;
                need = frame;
                return Step.Read;
            }
            if (!_writer.TryClaim(header, out var span))
            {
                need = header;
                return Step.Space;
            }
            _buffer.AsSpan(_start + BridgeFrames.HeaderBytes, header).CopyTo(span);
            _writer.CommitCore(FlagsAt(_start));
            _start += frame;
        }
    }

    /// <summary>
    /// While large items of one size flow: claims a record of that size and reads the next frame, header included,
    /// straight into it (the frame's header lands on the record's own length and kind words, which the commit
    /// rewrites): one read per item, no copy. A frame of another size or kind is moved to the read buffer and the
    /// claim aborted. False when the ring has no room (the ordinary path then waits for it). Only when the socket
    /// has data already (plain TCP): an idle pump never leaves a read into shared memory pending, whose ring could be
    /// unmapped under it.
    /// </summary>
    private async ValueTask<bool> TryReadLikeLastAsync(CancellationToken cancellationToken)
    {
        var length = _lastLargeLength;
        if (BridgeFrames.HeaderBytes + length > _buffer.Length || !_writer.TryClaim(length, out var span))
            return false;
        var frame = Frame(span);
        int read;
        try
        {
            _activity?.Waiting();
            read = await _stream.ReadAtLeastAsync(frame, BridgeFrames.HeaderBytes, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            _activity?.Moved();
            if (read >= BridgeFrames.HeaderBytes && BinaryPrimitives.ReadInt32LittleEndian(frame.Span) == length)
            {
                if (read < BridgeFrames.HeaderBytes + length)
                    await ReadExactlyAsync(frame[read..], cancellationToken).ConfigureAwait(false);
                var flags = BinaryPrimitives.ReadInt32LittleEndian(frame.Span[4..]) & BridgeFrames.ItemFlags;
                _writer.CommitCore(flags);
                return true;
            }
        }
        catch
        {
            _writer.Abort();
            throw;
        }

        frame.Span[..read].CopyTo(_buffer);
        _start = 0;
        _end = read;
        _writer.Abort();
        _largeStream = false; // the ordinary path reads on (and reports a stream that ended)
        return true;
    }

    /// <summary>The claimed record's payload with the 8 bytes before it (its length and kind words) as one frame's memory.</summary>
    private unsafe Memory<byte> Frame(Span<byte> payload)
    {
        fixed (byte* pointer = payload)
            return _speculative.Over(new ReadOnlySpan<byte>(pointer - BridgeFrames.HeaderBytes, BridgeFrames.HeaderBytes + payload.Length));
    }

    /// <summary>The flags of the item frame at <paramref name="start"/> that the ring keeps (its null flag).</summary>
    private int FlagsAt(int start) => BinaryPrimitives.ReadInt32LittleEndian(_buffer.AsSpan(start + 4)) & BridgeFrames.ItemFlags;

    private Step EndStep(int header, int available, out int need)
    {
        if (header == BridgeFrames.EndCompleted)
        {
            need = 0;
            return Step.EndCompleted;
        }
        if (header != BridgeFrames.EndWithError)
            throw new InvalidDataException($"Bridge frame header {header} is neither an item length (0 or more) nor an end marker ({BridgeFrames.EndCompleted}, {BridgeFrames.EndWithError}).");
        need = 2 * BridgeFrames.HeaderBytes;
        if (available < need) return Step.Read; // the body length first, then back here
        var body = BinaryPrimitives.ReadInt32LittleEndian(_buffer.AsSpan(_start + BridgeFrames.HeaderBytes));
        if ((uint)body > BridgeFrames.MaxErrorBytes)
            throw new InvalidDataException($"Bridge end marker: error body length {body} is outside 0..{BridgeFrames.MaxErrorBytes}.");
        _start += 2 * BridgeFrames.HeaderBytes;
        need = body;
        return Step.EndWithError;
    }

    /// <summary>
    /// Claims a large item whose header is buffered, copies what is buffered of its payload, and returns
    /// the rest of the claimed span (to read from the stream into shared memory). False when the ring has no room.
    /// </summary>
    private bool TryClaimLarge(int length, out Memory<byte> rest)
    {
        if (!_writer.TryClaim(length, out var span))
        {
            rest = default;
            return false;
        }
        _largeFlags = FlagsAt(_start);
        var buffered = _end - _start - BridgeFrames.HeaderBytes;
        _buffer.AsSpan(_start + BridgeFrames.HeaderBytes, buffered).CopyTo(span);
        _start = _end = 0;
        rest = _claimed.Over(span)[buffered..];
        return true;
    }

    /// <summary>
    /// Fills <paramref name="target"/> from the stream, read by read (each reported: a large item that arrives slowly is
    /// progress, not silence).
    /// </summary>
    private async ValueTask ReadExactlyAsync(Memory<byte> target, CancellationToken cancellationToken)
    {
        while (!target.IsEmpty)
        {
            var read = await ReadSomeAsync(target, cancellationToken).ConfigureAwait(false);
            if (read == 0)
                throw new EndOfStreamException($"The sending node closed the bridge stream inside an item ({target.Length} byte(s) missing).");
            target = target[read..];
        }
    }

    /// <summary>One read from the stream (what it has, at least a byte, or 0 at its end), reported to the activity.</summary>
    private async ValueTask<int> ReadSomeAsync(Memory<byte> target, CancellationToken cancellationToken)
    {
        _activity?.Waiting();
        var read = await _stream.ReadAsync(target, cancellationToken).ConfigureAwait(false);
        _activity?.Moved();
        return read;
    }

    /// <summary>Reads until <paramref name="need"/> bytes from the current frame start are buffered (as many more as the stream has).</summary>
    private async ValueTask FillAsync(int need, CancellationToken cancellationToken)
    {
        if (_start + need > _buffer.Length || _start == _end)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        while (_end - _start < need)
        {
            // While large items flow, read just the next header: the item itself is then read from the socket
            // straight into the ring (no copy through this buffer); small items are read in big chunks.
            var room = _largeStream ? need - (_end - _start) : _buffer.Length - _end;
            var read = await ReadSomeAsync(_buffer.AsMemory(_end, room), cancellationToken).ConfigureAwait(false);
            if (read == 0)
                throw new EndOfStreamException($"The sending node closed the bridge stream without an end marker ({_end - _start} byte(s) of a frame buffered, {need} needed).");
            _end += read;
        }
    }

    /// <summary>The exception that says why the writer can claim no more: the ring's completion error, else a closed channel.</summary>
    private Exception CompletionError()
    {
        var closed = _writer.CompletedException();
        return closed.InnerException ?? new ChannelClosedException("The receiving ring was completed, or its writer released, while the bridge was writing to it.");
    }

    /// <summary>Timer: stops the pump when the ring has no live reader left or its writer was completed.</summary>
    private void CheckReaders(CancellationTokenSource gone)
    {
        if (_readerGone is not null) return;
        Exception? reason = null;
        try
        {
            if (_writer.IsCompleted) reason = CompletionError();
            else _writer.Ring.CheckReadersAlive();
        }
        catch (PeerProcessDiedException died)
        {
            reason = died;
        }
        catch (Exception)
        {
            return; // a corrupt or disposed ring: the pump's own next ring operation reports it
        }
        if (reason is null) return;
        _readerGone = reason;
        try
        {
            gone.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // the pump ended meanwhile
        }
    }
}
