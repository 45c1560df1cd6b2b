using System.Threading.Channels;

namespace Puma.Bench.Transports;

/// <summary>Blocking waits on a channel reader for the synchronous benchmark loops.</summary>
internal static class ChannelWait
{
    /// <summary>
    /// Blocks until <paramref name="reader"/> has an item (true) or is completed and drained
    /// (false): with the transport's own blocking wait when given, else
    /// <see cref="ChannelReader{T}.WaitToReadAsync"/>.
    /// </summary>
    public static bool ToRead<T>(ChannelReader<T> reader, Func<bool>? blockingWait)
    {
        if (blockingWait is not null) return blockingWait();
        var wait = reader.WaitToReadAsync();
        return wait.IsCompletedSuccessfully ? wait.Result : wait.AsTask().GetAwaiter().GetResult();
    }
}
