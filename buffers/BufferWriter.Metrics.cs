using Puma.Buffers.Metrics;

namespace Puma.Buffers;

// Counting for the runtime's metrics when the transport is an in-process channel (a shared-memory ring counts itself).
public sealed partial class BufferWriter<T>
{
    private EndCounters? _counters;

    /// <summary>Counts what goes through this end from now on (null: stop counting).</summary>
    internal void CountWith(EndCounters? counters) => _counters = counters;

    private ValueTask WriteCountedAsync(T item, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
            return ValueTask.FromCanceled(cancellationToken);
        var target = Target;
        if (target.TryWrite(item))
        {
            _counters!.Add(ItemBytes<T>.Size);
            return default;
        }
        return WaitAndWriteAsync(target, item, _counters!, cancellationToken);
    }

    private static async ValueTask WaitAndWriteAsync(System.Threading.Channels.ChannelWriter<T> target, T item, EndCounters counters, CancellationToken cancellationToken)
    {
        counters.AddWait();
        await target.WriteAsync(item, cancellationToken).ConfigureAwait(false);
        counters.Add(ItemBytes<T>.Size);
    }
}
