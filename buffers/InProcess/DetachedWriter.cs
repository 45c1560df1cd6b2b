using System.Threading.Channels;

namespace Puma.Buffers;

/// <summary>The writer of a buffer whose writers all live in other processes: writing here is a mistake.</summary>
internal sealed class DetachedWriter<T>(string bufferName) : ChannelWriter<T>
{
    /// <summary>The error for any write here: the writers are elsewhere.</summary>
    internal InvalidOperationException Elsewhere() =>
        new($"Buffer '{bufferName}' has no writer in this process: its writers run in other processes.");

    public override bool TryWrite(T item) => throw Elsewhere();

    public override ValueTask<bool> WaitToWriteAsync(CancellationToken cancellationToken = default) => throw Elsewhere();

    public override bool TryComplete(Exception? error = null) => false;
}
