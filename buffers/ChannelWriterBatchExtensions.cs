using System.Threading.Channels;

namespace Puma.Buffers;

/// <summary>
/// Batched writes on a runnable's output port (a plain <c>ChannelWriter&lt;T&gt;</c> property): for a producer that
/// writes many items in a row outside an input handler, typically in <c>RunAsync</c>.
/// </summary>
/// <remarks>
/// Across processes an item is published the moment it is written, and a reader that keeps up takes it from the
/// writer's cache while the next ones are written beside it; in a batch the items reach the reader as a block
/// (several times the throughput for small items). The loop batches the outputs of input handlers and produce steps
/// by itself. A batch is published when it is disposed, and earlier when it holds an eighth of the ring, when a
/// reader waits parked, before the writer waits for room, and when the writer completes. Writes outside a batch, and
/// on in-process buffers, are delivered at once as always.
/// </remarks>
public static class ChannelWriterBatchExtensions
{
    /// <summary>Starts a batch of writes on <paramref name="writer"/>; dispose the result to publish it.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="writer">A runnable's output port; any other writer gets a batch that does nothing.</param>
    /// <returns>The batch: <c>using (output.BeginBatch()) { ... }</c>.</returns>
    /// <example>
    /// <code>
    /// protected override async Task RunAsync(CancellationToken ct)
    /// {
    ///     using var batch = Output.BeginBatch();
    ///     for (var i = 0; i &lt; count; i++)
    ///         if (!Output.TryWrite(Sample(i))) await Output.WriteAsync(Sample(i), ct);
    /// } // the rest of the batch is published here
    /// </code>
    /// </example>
    public static WriteBatch BeginBatch<T>(this ChannelWriter<T> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (writer is not IBatchingWriter { CanBatch: true } batching)
            return default;
        batching.BeginBatch();
        return new WriteBatch(batching);
    }
}
