namespace Puma.Bench.Transports;

/// <summary>
/// The receiving end of a one-way message channel of fixed-size messages, in acquire/release
/// form: the span stays valid until <see cref="Release"/>. One thread uses a reader at a time.
/// </summary>
internal interface IMessageReader : IDisposable
{
    /// <summary>The size of every message, in bytes.</summary>
    int MessageSize { get; }

    /// <summary>
    /// The next message (exactly <see cref="MessageSize"/> bytes); blocks until one arrives.
    /// Throws <see cref="EndOfStreamException"/> when the writer is gone.
    /// </summary>
    ReadOnlySpan<byte> Acquire();

    /// <summary>Frees the message returned by <see cref="Acquire"/>.</summary>
    void Release();
}
