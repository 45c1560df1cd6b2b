namespace Puma.Buffers;

/// <summary>
/// Thrown when the contents of a buffer's shared memory are not what Puma wrote there:
/// a bad magic number or layout version, or a length or cursor outside the segment's bounds.
/// The message names the field, the value found and the limit it broke.
/// </summary>
public sealed class BufferCorruptedException : Exception
{
    /// <summary>Creates the exception with a message naming the corrupt field and its bounds.</summary>
    /// <param name="message">What was found and what was expected.</param>
    public BufferCorruptedException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the exception that revealed the corruption.</summary>
    /// <param name="message">What was found and what was expected.</param>
    /// <param name="inner">The underlying exception.</param>
    public BufferCorruptedException(string message, Exception inner) : base(message, inner) { }
}
