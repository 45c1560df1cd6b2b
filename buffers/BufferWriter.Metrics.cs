using Puma.Buffers.Metrics;

namespace Puma.Buffers;

// Counting for the runtime's metrics when the transport is an in-process channel (a shared-memory ring counts itself).
// Items only: every item has the same size here (ItemBytes<T>), so the bytes are derived when read.
public sealed partial class BufferWriter<T>
{
    private EndTally _tally;
    private bool _counting;

    /// <summary>Counts what goes through this end from now on (null: stop counting).</summary>
    internal void CountWith(EndCounters? counters)
    {
        _tally = EndTally.Of(counters);
        _counting = counters is not null;
    }

    private ValueTask WriteCountedAsync(T item, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
            return ValueTask.FromCanceled(cancellationToken);
        var target = Target;
        if (target.TryWrite(item))
        {
            _tally.AddItem();
            return default;
        }
        return WaitAndWriteAsync(target, item, cancellationToken);
    }

    private async ValueTask WaitAndWriteAsync(System.Threading.Channels.ChannelWriter<T> target, T item, CancellationToken cancellationToken)
    {
        _tally.AddWait();
        await target.WriteAsync(item, cancellationToken).ConfigureAwait(false);
        _tally.AddItem();
    }
}
