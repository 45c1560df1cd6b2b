namespace Puma.Buffers;

/// <summary>
/// A writer end that can publish its items in batches (a shared-memory ring's): a runnable's loop begins a batch on
/// its outputs before it handles a batch of input items and flushes them after, so that a reader takes the items as
/// a block instead of line by line as they are written. Ends without batching publish every item at once.
/// </summary>
internal interface IBatchingWriter
{
    /// <summary>True when the end does batch now (a writer end of a Puma buffer forwards to its transport's end).</summary>
    bool CanBatch { get; }

    /// <summary>Starts a batch: items written until <see cref="Flush"/> may be held back and published together.</summary>
    void BeginBatch();

    /// <summary>Publishes what the batch holds and ends it.</summary>
    void Flush();
}
