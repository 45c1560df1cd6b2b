namespace Puma.Buffers.Events;

/// <summary>
/// Counts the threads inside a shared mapping so that it is released only after the last one left, as a
/// <see cref="System.Runtime.InteropServices.SafeHandle"/> counts its users: a thread that still uses an event (a
/// runnable the runtime abandoned, say) when it is disposed gets <see cref="ObjectDisposedException"/> on its next
/// call, never an access to unmapped memory.
/// </summary>
/// <param name="release">Releases the mapping; runs once, on the thread that leaves last after <see cref="Close"/>.</param>
internal sealed class UseCount(Action release)
{
    private const int Closed = 1;
    private const int OneUser = 2;
    private int _state;

    /// <summary>Counts the calling thread in; false once closed.</summary>
    public bool TryEnter()
    {
        while (true)
        {
            var state = Volatile.Read(ref _state);
            if ((state & Closed) != 0) return false;
            if (Interlocked.CompareExchange(ref _state, state + OneUser, state) == state) return true;
        }
    }

    /// <summary>Counts the calling thread out; the last one out after <see cref="Close"/> releases.</summary>
    public void Exit()
    {
        if (Interlocked.Add(ref _state, -OneUser) == Closed) release();
    }

    /// <summary>Lets nobody in any more; releases at once when nobody is in. False when it was closed already.</summary>
    public bool Close()
    {
        var prior = Interlocked.Or(ref _state, Closed);
        if ((prior & Closed) != 0) return false;
        if (prior == 0) release();
        return true;
    }
}
