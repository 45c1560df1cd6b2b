namespace Puma.Buffers;

/// <summary>
/// Waits for another process to finish writing a dictionary slot (a few hundred nanoseconds): spins, yields, then
/// gives up after a second, since only a process that died in the middle of the write leaves a slot busy that long.
/// </summary>
internal struct SharedSlotSpin
{
    private const int TimeoutMs = 1000;
    private SpinWait _spin;
    private long _since;

    /// <summary>Waits a little.</summary>
    /// <exception cref="BufferCorruptedException">The slot has been busy for over a second.</exception>
    public void Once(string label, int slot)
    {
        _spin.SpinOnce();
        if (_spin.Count < 64 || (_spin.Count & 63) != 0)
            return;
        var now = Environment.TickCount64;
        if (_since == 0)
            _since = now;
        else if (now - _since > TimeoutMs)
            throw new BufferCorruptedException($"{label}: slot {slot} has been busy for over {TimeoutMs} ms; a process died while writing it.");
    }
}
