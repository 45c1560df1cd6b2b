namespace Puma.Runtime;

/// <summary>
/// What the supervisor does when a runnable fails: <see cref="StopAll"/> (the default),
/// <see cref="Restart"/> within a budget, or <see cref="Continue"/> with the others.
/// </summary>
public abstract class FailurePolicy
{
    private protected FailurePolicy()
    {
    }

    /// <summary>Stop every runnable and make <c>WaitAsync</c> throw the failure.</summary>
    public static FailurePolicy StopAll { get; } = new StopAllPolicy();

    /// <summary>
    /// Keep the other runnables running. The failed runnable's outputs complete with its error; at
    /// the end <c>WaitAsync</c> throws the failure.
    /// </summary>
    public static FailurePolicy Continue { get; } = new ContinuePolicy();

    /// <summary>
    /// Restart the failed runnable (its outputs stay open, its readers keep their place) at most
    /// <paramref name="maxRestarts"/> times within any <paramref name="window"/>; past that, stop all.
    /// </summary>
    /// <param name="maxRestarts">Restarts allowed within the window, at least 1.</param>
    /// <param name="window">The sliding window, more than zero.</param>
    /// <returns>The policy.</returns>
    public static RestartPolicy Restart(int maxRestarts, TimeSpan window) => new(maxRestarts, window);

    private sealed class StopAllPolicy : FailurePolicy
    {
        public override string ToString() => "StopAll";
    }

    private sealed class ContinuePolicy : FailurePolicy
    {
        public override string ToString() => "Continue";
    }
}

/// <summary>Restart a failed runnable, at most <see cref="MaxRestarts"/> times within <see cref="Window"/>.</summary>
public sealed class RestartPolicy : FailurePolicy
{
    internal RestartPolicy(int maxRestarts, TimeSpan window)
    {
        if (maxRestarts < 1)
            throw new ArgumentOutOfRangeException(nameof(maxRestarts), maxRestarts, "A restart policy allows at least 1 restart.");
        if (window <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(window), window, "A restart window must be longer than zero.");
        MaxRestarts = maxRestarts;
        Window = window;
    }

    /// <summary>Restarts allowed within <see cref="Window"/>.</summary>
    public int MaxRestarts { get; }

    /// <summary>The sliding window restarts are counted in.</summary>
    public TimeSpan Window { get; }

    /// <summary>Records a restart at <paramref name="now"/> if the budget allows it.</summary>
    internal bool TryRestart(Queue<DateTime> history, DateTime now)
    {
        while (history.Count > 0 && now - history.Peek() > Window)
            history.Dequeue();
        if (history.Count >= MaxRestarts)
            return false;
        history.Enqueue(now);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => $"Restart({MaxRestarts} within {Window})";
}
