using System.Reflection;
using Puma.Buffers;
using Puma.Runnables;
using Puma.Runtime.Supervision;

namespace Puma.Runtime;

// Events: process-shared events made for the runnables, and terminators that stop the pipeline when they complete.
public sealed partial class PumaRuntime
{
    private readonly Dictionary<string, PumaEvent> _events = new(StringComparer.Ordinal);

    /// <summary>
    /// Creates a process-shared event, reset, in a shared-memory segment: give it to runnables as a property (in any
    /// placement), react to it with <c>on.Event</c>, gate inputs with <c>on.ServeInputsWhile</c>, route with
    /// <see cref="Switch{T}"/>, and set, reset, pulse or wait for it from here. The runtime disposes it after its
    /// runnables have ended.
    /// </summary>
    /// <param name="name">A name unique among this runtime's events: 1 to <see cref="PumaEvent.MaxNameLength"/> characters.</param>
    /// <returns>The event.</returns>
    /// <exception cref="ArgumentException">The name is empty, too long, or taken by another event of this runtime.</exception>
    /// <exception cref="ObjectDisposedException">The runtime is disposed.</exception>
    public PumaEvent CreateEvent(string name)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        lock (_events)
        {
            if (_events.ContainsKey(name))
                throw new ArgumentException($"An event named '{name}' already exists in this runtime.", nameof(name));
            var created = Own(PumaEvent.Create(name));
            _events.Add(name, created);
            return created;
        }
    }

    /// <summary>Stops the pipeline gracefully when a terminator (<see cref="TerminatesPipelineAttribute"/>) completes by itself.</summary>
    private void WatchTerminators()
    {
        foreach (var slot in _slots)
        {
            if (slot.Runnable.GetType().GetCustomAttribute<TerminatesPipelineAttribute>() is null)
                continue;
            _ = slot.Finished.Task.ContinueWith(static (_, state) =>
            {
                var (runtime, terminator) = ((PumaRuntime, RunnableSlot))state!;
                if (terminator.FinalState != RunnableState.Completed)
                    return;
                runtime._log.Information("Terminator {Terminator} completed: stopping the pipeline", terminator.Name);
                _ = runtime.StopAsync();
            }, (this, slot), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }
}
