using Puma.Runtime.Metrics;

namespace Puma.Runtime;

/// <summary>The runtime's metrics: the <c>Puma</c> meter and <see cref="Metrics"/> snapshots.</summary>
public sealed partial class PumaRuntime
{
    private RuntimeMetrics? _metrics;

    /// <summary>
    /// A snapshot of the metrics of every runnable (items in and out, handler time, CPU, memory, restarts) and every
    /// buffer (items and bytes written and read, fill level, writer waits), gathered from every process of the
    /// pipeline. The same values are published by the <c>Puma</c> meter (System.Diagnostics.Metrics) for
    /// <c>dotnet-counters monitor --counters Puma</c> and OpenTelemetry (<c>.AddMeter("Puma")</c>). They stay readable
    /// after the runnables have ended, until the runtime is disposed.
    /// </summary>
    /// <returns>The snapshot.</returns>
    /// <exception cref="InvalidOperationException">The runtime has not started, or <see cref="PumaOptions.Metrics"/> is false.</exception>
    /// <exception cref="ObjectDisposedException">The runtime was disposed.</exception>
    public PumaMetrics Metrics()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_options.Metrics)
            throw new InvalidOperationException("Metrics are off for this runtime: PumaOptions.Metrics is false.");
        var metrics = _metrics ?? throw new InvalidOperationException("The runtime has not been started: call StartAsync first.");
        return metrics.Collect();
    }

    /// <summary>Makes the counters and the meter, before the buffers open; the runtime owns them.</summary>
    private void StartMetrics()
    {
        if (_options.Metrics)
            _metrics = Own(RuntimeMetrics.Start(_slots, [.. _buffers.Values]));
    }

    /// <summary>The loop counters of a thread runnable; null when metrics are off.</summary>
    private Runnables.Loop.RunnableCounters? LoopCountersOf(string runnableName) => _metrics?.LoopCountersOf(runnableName);
}
