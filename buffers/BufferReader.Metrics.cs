using Puma.Buffers.Metrics;

namespace Puma.Buffers;

// Counting for the runtime's metrics when the transport is an in-process channel (a shared-memory ring counts itself).
public sealed partial class BufferReader<T>
{
    private EndCounters? _counters;

    /// <summary>Counts what goes through this end from now on (null: stop counting).</summary>
    internal void CountWith(EndCounters? counters) => _counters = counters;

    private async ValueTask<T> ReadCountedAsync(CancellationToken cancellationToken)
    {
        var item = await Target.ReadAsync(cancellationToken).ConfigureAwait(false);
        _counters?.Add(ItemBytes<T>.Size);
        return item;
    }
}
