namespace Puma.Buffers.SharedMemory;

/// <summary>
/// The error a writer in another process completed a shared-memory buffer with
/// (<c>TryComplete(error)</c>), rebuilt on the reading side from its type name, message and
/// stack trace as text. Readers throw it after draining the items written before completion.
/// </summary>
public sealed class RemoteBufferException : Exception
{
    /// <summary>Creates the exception from the parts of the original error.</summary>
    /// <param name="remoteType">Full type name of the original exception.</param>
    /// <param name="message">The original exception's message.</param>
    /// <param name="remoteStackTrace">The original exception's stack trace, as text.</param>
    public RemoteBufferException(string remoteType, string message, string remoteStackTrace)
        : base(message)
    {
        RemoteType = remoteType;
        RemoteStackTrace = remoteStackTrace;
    }

    /// <summary>Full type name of the exception the remote writer completed with.</summary>
    public string RemoteType { get; }

    /// <summary>Stack trace of the remote exception, as text (may be empty).</summary>
    public string RemoteStackTrace { get; }

    /// <summary>The remote type, message and remote stack, then this exception's local stack.</summary>
    public override string ToString() =>
        $"{GetType().FullName}: {RemoteType}: {Message}{Environment.NewLine}" +
        $"   --- remote stack trace ---{Environment.NewLine}{RemoteStackTrace}{Environment.NewLine}" +
        $"   --- end of remote stack trace ---{Environment.NewLine}{StackTrace}";
}
