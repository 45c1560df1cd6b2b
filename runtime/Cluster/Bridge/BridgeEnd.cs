namespace Puma.Runtime.Cluster.Bridge;

/// <summary>
/// How a bridge pump (<see cref="RingToStream"/>, <see cref="StreamToRing"/>) ended. The pumps never
/// complete, release or detach their ring end: the caller decides from this value what to do with it.
/// </summary>
internal abstract record BridgeEnd
{
    private BridgeEnd()
    {
    }

    /// <summary>The ring completed normally and its end marker crossed the stream.</summary>
    internal sealed record Completed : BridgeEnd
    {
        /// <summary>The one instance.</summary>
        public static Completed Instance { get; } = new();
    }

    /// <summary>
    /// The ring completed with an error (or its writer process died) and the end marker carrying it
    /// crossed the stream. On the receiving side <see cref="Error"/> is a
    /// <see cref="Puma.Buffers.SharedMemory.RemoteBufferException"/> with the original type, message and stack.
    /// </summary>
    /// <param name="Error">The sending ring's completion error, as the side that returns this knows it.</param>
    internal sealed record CompletedWithError(Exception Error) : BridgeEnd;

    /// <summary>
    /// The stream failed, or ended without an end marker, or carried something that is not a bridge frame:
    /// the other node, its process or the network is gone. Items written to the stream since the last
    /// completed batch may be lost.
    /// </summary>
    /// <param name="Error">What the stream reported (an <see cref="IOException"/>, <see cref="EndOfStreamException"/>, <see cref="InvalidDataException"/>, ...).</param>
    internal sealed record StreamLost(Exception Error) : BridgeEnd;

    /// <summary>
    /// The receiving ring can take no more items: its readers are gone (closed or dead) or its writer
    /// was completed. The receiving pump closed the stream, so the sending pump ends with <see cref="StreamLost"/>.
    /// </summary>
    /// <param name="Error">Why: a <see cref="Puma.Buffers.SharedMemory.PeerProcessDiedException"/>, or the ring's completion (its error, else a <see cref="System.Threading.Channels.ChannelClosedException"/>).</param>
    internal sealed record ReaderGone(Exception Error) : BridgeEnd;
}
