using Puma.Buffers;

namespace Puma.Bench.Events;

/// <summary>The bench's side of the event ping-pong: set Ping, wait for Pong (spinning, then parked), reset Pong.</summary>
internal sealed class EventPinger(PumaEvent ping, PumaEvent pong) : IPinger
{
    public void Round()
    {
        ping.Set();
        var wait = pong.WaitAsync();
        if (!wait.IsCompleted) wait.AsTask().GetAwaiter().GetResult();
        pong.Reset();
    }

    public void Dispose()
    {
    }
}
