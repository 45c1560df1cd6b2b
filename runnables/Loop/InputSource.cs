using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Puma.Runnables.Loop;

/// <summary>One input of a loop: reads items in bounded batches and wakes the loop when data arrives.</summary>
internal abstract class InputSource
{
    public abstract object Reader { get; }

    public Func<Exception?, CancellationToken, ValueTask>? OnCompleted { get; set; }

    public bool Done { get; set; }

    /// <summary>
    /// True when its handler is synchronous (it cannot await), so a batch of its items runs on the loop's thread
    /// from start to end: the loop may batch the outputs around it (see <see cref="OutputBatch"/>).
    /// </summary>
    public bool HandlesSynchronously { get; set; }

    /// <summary>The most items handled per turn of the loop.</summary>
    public int MaxBatch { get; init; } = Handlers.DefaultInputBatch;

    /// <summary>
    /// Items handed to the handler so far, a throwing handler's item included: the loop counts what a batch took
    /// even when the batch ends in an exception or a stop (one add to a field of this object per item).
    /// </summary>
    public long Taken { get; protected set; }

    /// <summary>Handles up to <paramref name="max"/> items that are available now.</summary>
    public abstract ValueTask<int> ProcessBatchAsync(int max, CancellationToken cancellationToken);

    /// <summary>True when the input is completed and drained; <paramref name="error"/> is its completion error.</summary>
    public abstract bool IsFinished(out Exception? error);

    /// <summary>Arranges for <paramref name="wake"/> to be set when the input has data or completes; true when it already has.</summary>
    public abstract bool Arm(WakeSignal wake);
}

/// <summary>An input whose handler receives each item read.</summary>
internal sealed class InputSource<T> : ChannelInputSource<T>
{
    private readonly ChannelReader<T> _reader;
    private readonly Func<T, CancellationToken, ValueTask> _handler;

    public InputSource(ChannelReader<T> reader, Func<T, CancellationToken, ValueTask> handler)
        : base(reader)
    {
        _reader = reader;
        _handler = handler;
    }

    /// <remarks>
    /// Synchronous while every item is there (<c>TryRead</c>) and every handler completes at once:
    /// no async state machine per turn; the first handler that does not complete synchronously
    /// hands the rest of the batch to <see cref="ContinueBatchAsync"/>.
    /// </remarks>
    public override ValueTask<int> ProcessBatchAsync(int max, CancellationToken cancellationToken)
    {
        var n = 0;
        while (n < max && _reader.TryRead(out var item))
        {
            n++;
            Taken++;
            var pending = _handler(item, cancellationToken);
            if (!pending.IsCompletedSuccessfully)
                return ContinueBatchAsync(pending, n, max, cancellationToken);
        }
        return new ValueTask<int>(n);
    }

    private async ValueTask<int> ContinueBatchAsync(ValueTask pending, int n, int max, CancellationToken cancellationToken)
    {
        await pending;
        while (n < max && _reader.TryRead(out var item))
        {
            n++;
            Taken++;
            pending = _handler(item, cancellationToken);
            if (!pending.IsCompletedSuccessfully)
                await pending;
        }
        return n;
    }
}
