namespace Puma.Bench.Transports;

/// <summary>
/// The missing direction of a one-way link: a broadcast reader has no channel back to the
/// parent, and the parent's broadcast link none back from its readers. Using it throws.
/// </summary>
internal sealed class NoChannel : IMessageWriter, IMessageReader
{
    /// <summary>The one instance (it holds nothing).</summary>
    public static NoChannel Instance { get; } = new();

    private NoChannel() { }

    /// <inheritdoc cref="IMessageWriter.MessageSize"/>
    public int MessageSize => 0;

    /// <inheritdoc/>
    public Span<byte> Claim() => throw Unsupported();

    /// <inheritdoc/>
    public void Commit() => throw Unsupported();

    /// <inheritdoc/>
    public void Flush() { }

    /// <inheritdoc/>
    public ReadOnlySpan<byte> Acquire() => throw Unsupported();

    /// <inheritdoc/>
    public void Release() => throw Unsupported();

    /// <summary>Nothing to release.</summary>
    public void Dispose() { }

    private static NotSupportedException Unsupported() => new("this link is one-way (a broadcast has no channel back)");
}
