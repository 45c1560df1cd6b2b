namespace Puma.Buffers;

/// <summary>
/// Completes a buffer whose every reader has ended, so that its writers fail with a clear error
/// instead of waiting forever for space.
/// </summary>
public sealed class BufferReaderGoneException : Exception
{
    /// <summary>Creates the exception for a buffer whose last reader ended.</summary>
    /// <param name="bufferName">The buffer.</param>
    /// <param name="readerName">The last reader that ended.</param>
    public BufferReaderGoneException(string bufferName, string readerName)
        : base($"Buffer '{bufferName}' has no reader left: '{readerName}' was the last and it ended.")
    {
        BufferName = bufferName;
        ReaderName = readerName;
    }

    /// <summary>The buffer that lost its readers.</summary>
    public string BufferName { get; }

    /// <summary>The last reader that ended.</summary>
    public string ReaderName { get; }
}
