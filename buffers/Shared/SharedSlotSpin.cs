using Puma.Buffers.SharedMemory;

namespace Puma.Buffers;

/// <summary>
/// Waits for a writer, maybe in another process, to finish writing a dictionary slot (a few hundred nanoseconds):
/// spins and yields. Every second the slot stays busy, it looks at the writer's process id stored in the slot: a live
/// writer (descheduled, or stopped in a debugger) is waited for; a dead one left the slot half written for good, and
/// the wait throws.
/// </summary>
internal struct SharedSlotSpin
{
    private const int CheckEveryMs = 1000;
    private SpinWait _spin;
    private long _since;

    /// <summary>Waits a little.</summary>
    /// <param name="label">The dictionary, for the error.</param>
    /// <param name="index">The slot's index, for the error.</param>
    /// <param name="slot">The slot: its writer's process id is at <see cref="SharedDictionaryLayout.WriterOffset"/>.</param>
    /// <exception cref="BufferCorruptedException">The slot has been busy for over a second and its writer is not alive.</exception>
    public unsafe void Once(string label, int index, byte* slot)
    {
        _spin.SpinOnce();
        if (_spin.Count < 64 || (_spin.Count & 63) != 0)
            return;
        var now = Environment.TickCount64;
        if (_since == 0)
        {
            _since = now;
            return;
        }
        if (now - _since <= CheckEveryMs)
            return;
        var writer = Volatile.Read(ref *(int*)(slot + SharedDictionaryLayout.WriterOffset));
        if (ProcessLiveness.IsAlive(writer))
        {
            _since = now; // a slow writer: look again in a second
            return;
        }
        throw new BufferCorruptedException($"{label}: slot {index} has been busy for over {CheckEveryMs} ms and its writer, process {writer}, is not alive; it died while writing the slot.");
    }
}
