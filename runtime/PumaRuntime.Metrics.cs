using Puma.Runtime.Metrics;

namespace Puma.Runtime;

/// <summary>The runtime's metrics: the <c>Puma</c> meter and <see cref="Metrics"/> snapshots.</summary>
public sealed partial class PumaRuntime
{
    private RuntimeMetrics? _metrics;
    private Exception? _metricsStartError;

    /// <summary>
    /// A snapshot of the metrics of every runnable (items in and out, handler time, CPU, memory, restarts) and every
    /// buffer (items and bytes written and read, fill level, writer waits), gathered from every process of the
    /// pipeline. The same values are published by the <c>Puma</c> meter (System.Diagnostics.Metrics) for
    /// <c>dotnet-counters monitor --counters Puma</c> and OpenTelemetry (<c>.AddMeter("Puma")</c>). They stay readable
    /// after the runnables have ended, until the runtime is disposed.
    /// </summary>
    /// <returns>The snapshot.</returns>
    /// <exception cref="InvalidOperationException">The runtime has not started, <see cref="PumaOptions.Metrics"/> is false, or the metrics could not start (logged as a warning when it started).</exception>
    /// <exception cref="ObjectDisposedException">The runtime was disposed.</exception>
    public PumaMetrics Metrics()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_options.Metrics)
            throw new InvalidOperationException("Metrics are off for this runtime: PumaOptions.Metrics is false.");
        if (_metricsStartError is { } error)
            throw new InvalidOperationException($"Metrics could not start ({error.Message}): the runtime runs without them.", error);
        var metrics = _metrics ?? throw new InvalidOperationException("The runtime has not been started: call StartAsync first.");
        return metrics.Collect();
    }

    /// <summary>
    /// Makes the counters and the meter, before the buffers open; the runtime owns them. Metrics that cannot start
    /// (a child's segment cannot be made: /dev/shm full, no memfd) are logged as a warning and the runtime runs
    /// without them; <see cref="Metrics"/> then says why.
    /// </summary>
    private void StartMetrics()
    {
        if (!_options.Metrics)
            return;
        try
        {
            _metrics = Own(MetricsFactory(_slots, [.. _buffers.Values]));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or OutOfMemoryException or PlatformNotSupportedException or Buffers.BufferCorruptedException)
        {
            _metricsStartError = e;
            _log.Warning(e, "Metrics could not start ({Reason}): the runtime runs without them", e.Message);
        }
    }

    /// <summary>Makes a runtime's metrics (a seam for tests that make it fail).</summary>
    internal Func<IReadOnlyList<Supervision.RunnableSlot>, IReadOnlyList<Buffers.PumaBuffer>, RuntimeMetrics> MetricsFactory { get; init; } = RuntimeMetrics.Start;

    /// <summary>The value of the <c>runtime</c> tag on this runtime's <c>Puma</c> measurements; null before it starts or without metrics.</summary>
    internal string? MetricsRuntimeId => _metrics?.RuntimeId;

    /// <summary>The loop counters of a thread runnable; null when metrics are off.</summary>
    private Runnables.Loop.RunnableCounters? LoopCountersOf(string runnableName) => _metrics?.LoopCountersOf(runnableName);
}
