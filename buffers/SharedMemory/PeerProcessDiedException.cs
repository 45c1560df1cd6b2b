namespace Puma.Buffers.SharedMemory;

/// <summary>
/// A process on the other side of a shared-memory buffer died without completing it: a writer
/// that still held writer references (readers get this after draining), or every reader a
/// blocked writer was waiting for.
/// </summary>
public sealed class PeerProcessDiedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">Which buffer and which process.</param>
    /// <param name="processId">Id of the dead process, or 0 when several are involved.</param>
    public PeerProcessDiedException(string message, int processId) : base(message) => ProcessId = processId;

    /// <summary>Id of the dead process, or 0 when several are involved.</summary>
    public int ProcessId { get; }
}
