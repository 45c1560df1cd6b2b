using System.Runtime.ExceptionServices;
using System.Threading.Channels;

namespace Puma.Buffers;

internal sealed partial class LockFreeChannel<T>
{
    /// <summary>The completion error of a channel completed without one.</summary>
    private static readonly Exception CompletedWithoutError = new ChannelClosedException();

    /// <summary>
    /// Completes the channel: no write succeeds after this returns; readers drain what was written, then
    /// <see cref="ChannelReader{T}.Completion"/> completes (faulted with <paramref name="error"/> when given).
    /// </summary>
    private bool TryComplete(Exception? error)
    {
        // The error is in place before the mark: whoever sees the mark sees the error.
        if (Interlocked.CompareExchange(ref _completionError, error ?? CompletedWithoutError, null) is not null)
        {
            // Another completer won: it sets the mark at once. Once this returns, no write succeeds, as for the winner.
            var spin = default(SpinWait);
            while ((Volatile.Read(ref _positions.Tail) & _markBit) == 0)
                Pause(ref spin);
            return false;
        }
        Interlocked.Or(ref _positions.Tail, _markBit);
        Interlocked.Exchange(ref _closed, 1); // a full fence before the look at the head below (see CompleteIfDrained)
        CompleteIfDrained();
        WakeClosed(_writerWaits);
        // Waiting readers are not woken here: no reader sleeps while items remain (a queued reader's look waits out a
        // writer between its CAS and its stamp), and a drained channel's readers were woken with the end by
        // CompleteIfDrained. A wake with true here could reach a lone reader after the end and promise it an item.
        return true;
    }

    /// <summary>Completes <see cref="ChannelReader{T}.Completion"/> once the channel is completed and every item read.</summary>
    /// <remarks>
    /// Called by the completer after its mark and by a reader after its take: the completer sets <c>_closed</c> and the
    /// reader moves the head, each with a full fence, and then each reads what the other wrote, so the last of them
    /// sees both. (A reader reads <c>_closed</c>, not the tail's mark: the tail's cache line is the writers'.)
    /// </remarks>
    private void CompleteIfDrained()
    {
        var tail = Volatile.Read(ref _positions.Tail);
        if ((tail & _markBit) == 0 || (tail & ~_markBit) != Volatile.Read(ref _positions.Head))
            return;
        var error = CompletionError;
        if (error is null)
            _completion.TrySetResult();
        else if (error is OperationCanceledException canceled)
            _completion.TrySetCanceled(canceled.CancellationToken);
        else
            _completion.TrySetException(error);
        WakeClosed(_readerWaits);
    }

    /// <summary>The error the channel was completed with; null when it was completed without one (or is open).</summary>
    private Exception? CompletionError
    {
        get
        {
            var error = Volatile.Read(ref _completionError);
            return error == CompletedWithoutError ? null : error;
        }
    }

    /// <summary>Completes every wait of <paramref name="waits"/> as a wait on a completed channel ends.</summary>
    private void WakeClosed(ChannelWaiterQueue waits) => waits.WakeAll(false, CompletionError);

    /// <summary>What a wait on a completed channel returns: false, or the completion error.</summary>
    private ValueTask<bool> ClosedWait() =>
        CompletionError is { } error ? ValueTask.FromException<bool>(error) : new ValueTask<bool>(false);

    /// <summary>
    /// The wait of a blocked <c>ReadAsync</c>/<c>WriteAsync</c>: returns when there may be an item (room); throws what a
    /// read (write) of a completed channel throws once it is completed, and the caller's cancellation as it is.
    /// </summary>
    private async ValueTask WaitOrThrowClosedAsync(bool forReaders, CancellationToken cancellationToken)
    {
        bool open;
        try
        {
            open = await WaitAsync(forReaders, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            ExceptionDispatchInfo.Throw(ClosedException(e)); // the completion error's own trace is kept
            throw;
        }
        if (!open)
            throw ClosedException(null);
    }

    /// <summary>
    /// What a read or write of a completed channel throws (as <see cref="Channel.CreateBounded{T}(int)"/>'s ends do), given
    /// <see cref="CompletionError"/>.
    /// </summary>
    private static Exception ClosedException(Exception? error) =>
        error switch
        {
            null => new ChannelClosedException(),
            OperationCanceledException => error,
            _ => new ChannelClosedException(error),
        };
}
