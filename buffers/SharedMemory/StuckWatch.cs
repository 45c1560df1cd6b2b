namespace Puma.Buffers.SharedMemory;

/// <summary>
/// What a parked end saw at its previous park slices of a state that is only impossible when it
/// lasts (see <see cref="SharedMemoryRing.CheckRecordAt"/> and <see cref="SharedMemoryRing.CheckCompletionNotStuck"/>).
/// </summary>
internal struct StuckWatch
{
    /// <summary>The position whose record was neither published nor being written.</summary>
    public long Position;

    /// <summary>The tag found there.</summary>
    public long Tag;

    /// <summary>When that was first seen (a <see cref="System.Diagnostics.Stopwatch"/> timestamp); 0 when nothing is suspect.</summary>
    public long RecordSince;

    /// <summary>When the state was first seen completing with an error; 0 when it is not.</summary>
    public long CompletingSince;
}
