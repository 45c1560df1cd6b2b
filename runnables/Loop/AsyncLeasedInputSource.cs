using System.Threading.Channels;
using Puma.Buffers;

namespace Puma.Runnables.Loop;

/// <summary>
/// An input whose asynchronous handler receives each item's bytes on a lease, valid until the
/// handler's task completes. The lease ends then, or when the handler throws.
/// </summary>
internal sealed class AsyncLeasedInputSource<T>(ChannelReader<T> reader, ILeasableReader leases, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> handler)
    : ChannelInputSource<T>(reader)
{
    /// <remarks>
    /// Synchronous while every item is there and every handler completes at once; the first handler
    /// that does not hands the rest of the batch to <see cref="ContinueBatchAsync"/>.
    /// </remarks>
    public override ValueTask<int> ProcessBatchAsync(int max, CancellationToken cancellationToken)
    {
        var n = 0;
        while (n < max && leases.TryLease(out var lease))
        {
            n++;
            Taken++;
            var pending = Start(lease, cancellationToken);
            if (!pending.IsCompletedSuccessfully)
                return ContinueBatchAsync(pending, lease, n, max, cancellationToken);
            lease.Dispose();
        }
        return new ValueTask<int>(n);
    }

    private async ValueTask<int> ContinueBatchAsync(ValueTask pending, ItemLease lease, int n, int max, CancellationToken cancellationToken)
    {
        try
        {
            await pending;
        }
        finally
        {
            lease.Dispose();
        }
        while (n < max && leases.TryLease(out lease))
        {
            n++;
            Taken++;
            try
            {
                await Start(lease, cancellationToken);
            }
            finally
            {
                lease.Dispose();
            }
        }
        return n;
    }

    private ValueTask Start(ItemLease lease, CancellationToken cancellationToken)
    {
        try
        {
            return handler(lease.Memory, cancellationToken);
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }
}
