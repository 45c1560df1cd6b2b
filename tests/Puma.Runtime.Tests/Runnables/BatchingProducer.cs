using System.Threading.Channels;
using Puma.Buffers;
using Puma.Runnables;

namespace Puma.Runtime.Tests.Runnables;

/// <summary>Writes 0..Count-1 from <c>RunAsync</c> inside one <see cref="ChannelWriterBatchExtensions.BeginBatch{T}"/> batch.</summary>
public sealed class BatchingProducer : Runnable
{
    /// <summary>The output port.</summary>
    public required ChannelWriter<long> Output { get; init; }

    /// <summary>How many items.</summary>
    public int Count { get; set; }

    /// <inheritdoc/>
    protected override async Task RunAsync(CancellationToken cancellationToken)
    {
        using var batch = Output.BeginBatch();
        for (long i = 0; i < Count; i++)
        {
            if (!Output.TryWrite(i))
                await Output.WriteAsync(i, cancellationToken);
        }
    }
}
