namespace Puma.Runtime;

/// <summary>What a stop did to each runnable.</summary>
/// <param name="Stopped">Runnables that ended within the timeout.</param>
/// <param name="Killed">Process runnables that did not stop in time and were killed.</param>
/// <param name="Abandoned">Thread runnables that did not stop in time: their outputs were completed and the runtime no longer waits for them.</param>
public sealed record StopResult(IReadOnlyList<string> Stopped, IReadOnlyList<string> Killed, IReadOnlyList<string> Abandoned)
{
    /// <summary>True when every runnable stopped by itself.</summary>
    public bool AllStopped => Killed.Count == 0 && Abandoned.Count == 0;
}
