using System.Threading.Channels;
using Puma.Buffers;

namespace Puma.Runnables.Loop;

/// <summary>
/// An input whose handler receives each item's bytes on a lease, valid during the call: no copy
/// over shared memory. The lease ends when the handler returns or throws.
/// </summary>
internal sealed class LeasedInputSource<T>(ChannelReader<T> reader, ILeasableReader leases, LeasedItemHandler handler)
    : ChannelInputSource<T>(reader)
{
    public override ValueTask<int> ProcessBatchAsync(int max, CancellationToken cancellationToken)
    {
        var n = 0;
        while (n < max && leases.TryLease(out var lease))
        {
            n++;
            Taken++;
            try
            {
                handler(lease.Span);
            }
            finally
            {
                lease.Dispose();
            }
        }
        return new ValueTask<int>(n);
    }
}
