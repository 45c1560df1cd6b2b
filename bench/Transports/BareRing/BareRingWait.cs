using System.Diagnostics;

namespace Puma.Bench.Transports.BareRing;

/// <summary>
/// How a <see cref="BareRingTransport"/> end waits: spins (yielding now and then) for 2 ms, long enough to cover the
/// peer's work on a 1 MiB message, then sleeps a millisecond at a time (no futex, no waiter count: the other end never
/// looks for a sleeper). Gives up when <c>cancel</c> fires.
/// </summary>
internal static class BareRingWait
{
    private static readonly long SpinTicks = Stopwatch.Frequency / 500;

    /// <summary>Waits until <paramref name="ready"/> holds; false when <paramref name="over"/> holds first.</summary>
    public static bool Until<TState>(TState state, Func<TState, bool> ready, Func<TState, bool> over, CancellationToken cancel)
    {
        var start = Stopwatch.GetTimestamp();
        for (var i = 1; ; i++)
        {
            if (ready(state)) return true;
            if (over(state)) return ready(state);
            cancel.ThrowIfCancellationRequested();
            if (Stopwatch.GetTimestamp() - start < SpinTicks)
            {
                if ((i & 15) == 0) Thread.Yield();
                else Thread.SpinWait(8);
            }
            else
            {
                Thread.Sleep(1);
            }
        }
    }
}
