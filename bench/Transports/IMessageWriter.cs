namespace Puma.Bench.Transports;

/// <summary>
/// The sending end of a one-way message channel of fixed-size messages, in claim/commit form so
/// that a zero-copy transport hands out its own memory and a stream transport its batch buffer.
/// One thread uses a writer at a time.
/// </summary>
internal interface IMessageWriter : IDisposable
{
    /// <summary>The size of every message, in bytes.</summary>
    int MessageSize { get; }

    /// <summary>
    /// Space for the next message (exactly <see cref="MessageSize"/> bytes); blocks while the
    /// transport is full. Fill it, then call <see cref="Commit"/>.
    /// </summary>
    Span<byte> Claim();

    /// <summary>Publishes the claimed message. A batching transport may keep it until <see cref="Flush"/>.</summary>
    void Commit();

    /// <summary>Pushes out every committed message (a no-op for transports that never batch).</summary>
    void Flush();
}
