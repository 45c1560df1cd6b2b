using Akka.Actor;
using Puma.Runtime.Supervision;

namespace Puma.Runtime.Actors;

/// <summary>Stopping: ask every runnable to stop, wait up to the timeout, then kill the processes and abandon the threads still running.</summary>
internal sealed partial class RuntimeActor
{
    private readonly List<TaskCompletionSource<StopResult>> _stopResults = [];
    private CancellationTokenSource? _stopTimer;
    private bool _forcing;
    private TimeSpan _stopTimeout;

    private void BeginStop(StopAll stop)
    {
        if (stop.Result is not null)
            _stopResults.Add(stop.Result);
        if (_runtime.StopRequested && _stopTimer is not null)
        {
            CompleteStopIfAllEnded();
            return;
        }

        _runtime.StopRequested = true;
        _stopTimeout = stop.Timeout;
        foreach (var slot in _runtime.Slots)
            slot.Actor?.Tell(StopRun.Instance);
        // A .NET timer, not Akka's scheduler: the scheduler's thread, once started, ticks every 10 ms for the rest of
        // the process (measured: ~3.5% of a core on an idle supervisor).
        _stopTimer = new CancellationTokenSource();
        var self = Self;
        Task.Delay(stop.Timeout, _stopTimer.Token).ContinueWith(
            _ => self.Tell(StopTimedOut.Instance), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        CompleteStopIfAllEnded();
    }

    private void ForceEnds()
    {
        if (_forcing)
            return;
        _forcing = true;
        var running = _runtime.Slots.Where(s => !s.Finished.Task.IsCompleted).ToArray();
        foreach (var slot in running)
            slot.Forced = true;
        var kills = running.Select(KillAsync);
        Task.WhenAll(kills).PipeTo(Self, success: ends => new ForcedEnds(ends));
    }

    /// <summary>Kills the slot's run where its placement allows it; never faults, so every forced slot gets its end recorded.</summary>
    private async Task<(RunnableSlot Slot, bool Killed)> KillAsync(RunnableSlot slot)
    {
        try
        {
            return (slot, slot.Current is { } run && await run.KillAsync().ConfigureAwait(false));
        }
        catch (Exception e)
        {
            _runtime.Log.Warning(e, "Runnable {Ignored} could not be killed", slot.Name);
            return (slot, false);
        }
    }

    private void OnForcedEnds(ForcedEnds forced)
    {
        foreach ((var slot, var killed) in forced.Ends)
        {
            slot.FinalState = killed ? RunnableState.Killed : RunnableState.Abandoned;
            _runtime.Log.Warning("Runnable {Ignored} did not stop within {Timeout}: {Action}", slot.Name, _stopTimeout, killed ? "killed" : "abandoned");
            ReleasePorts(slot, null);
            slot.Finished.TrySetResult();
            if (slot.Actor is { } actor)
                Context.Stop(actor);
        }

        CompleteStopIfAllEnded();
        // A killed child's actor may have stopped (its run failed) before this forced end was recorded.
        StopWhenAllEnded();
    }

    /// <summary>Once every runnable has ended, answers the stops waiting with what stopped, what was killed and what was abandoned.</summary>
    private void CompleteStopIfAllEnded()
    {
        if (_stopResults.Count == 0 || !_runtime.Slots.All(s => s.Finished.Task.IsCompleted))
            return;
        _stopTimer?.Cancel();
        var result = _runtime.StopResult();
        foreach (var waiting in _stopResults)
            waiting.TrySetResult(result);
        _stopResults.Clear();
    }
}
