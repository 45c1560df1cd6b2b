using System.Diagnostics;

namespace Puma.Runnables.Loop;

/// <summary>A periodic handler; missed periods are not replayed in a burst.</summary>
internal sealed class TickSource(TimeSpan interval, Func<CancellationToken, ValueTask> handler)
{
    private long _nextDue = Stopwatch.GetTimestamp() + ToTicks(interval);

    public Func<CancellationToken, ValueTask> Handler { get; } = handler;

    public bool IsDue(long now) => now >= _nextDue;

    public long NextDue => _nextDue;

    public void Advance(long now)
    {
        var next = _nextDue + ToTicks(interval);
        _nextDue = next > now ? next : now + ToTicks(interval);
    }

    private static long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
