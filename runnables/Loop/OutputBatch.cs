using Puma.Buffers;

namespace Puma.Runnables.Loop;

/// <summary>
/// The output ports of a runnable that publish in batches (shared-memory rings): the loop begins a
/// batch on them before a batch of items of an input with a synchronous handler and flushes them after it, on the
/// same thread, so the items it writes reach a reader as a block. Outputs without batching (in-process channels) are
/// not in it.
/// </summary>
internal sealed class OutputBatch
{
    private readonly IBatchingWriter[] _writers;

    private OutputBatch(IBatchingWriter[] writers) => _writers = writers;

    /// <summary>No output: for a runnable whose <c>RunAsync</c> body writes its outputs between the loop's turns.</summary>
    public static OutputBatch None { get; } = new([]);

    /// <summary>True when no output batches: the loop skips the calls.</summary>
    public bool IsEmpty => _writers.Length == 0;

    /// <summary>The runnable's output ports that can batch, as they are bound now (the loop looks when it starts).</summary>
    public static OutputBatch Of(Runnable runnable) =>
        new(RunnablePort.Discover(runnable).Where(p => !p.IsInput).Select(p => p.Value).OfType<IBatchingWriter>().Where(w => w.CanBatch).ToArray());

    /// <summary>Starts a batch on every output.</summary>
    public void Begin()
    {
        foreach (var writer in _writers)
            writer.BeginBatch();
    }

    /// <summary>Publishes what every output holds and ends the batch.</summary>
    public void Flush()
    {
        foreach (var writer in _writers)
            writer.Flush();
    }
}
