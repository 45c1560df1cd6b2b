using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Puma.Runtime.Metrics;

/// <summary>
/// The <c>Puma</c> meter of one runtime: observable instruments that read the runtime's counters when a listener
/// (dotnet-counters, an OpenTelemetry reader, a <see cref="MeterListener"/>) collects. Per runnable (tag
/// <c>runnable</c>): items in and out, handler time, CPU, memory, restarts; per buffer (tag <c>buffer</c>): items and
/// bytes written and read, fill level, writer waits. Every measurement also carries the tag <c>runtime</c>, which tells
/// apart the runtimes of one process (their runnables and buffers may have the same names). One snapshot serves the
/// instruments of one collection.
/// </summary>
internal sealed class PumaMeter : IDisposable
{
    /// <summary>The meter's name: what <c>dotnet-counters --counters</c> and OpenTelemetry's <c>AddMeter</c> take.</summary>
    public const string MeterName = "Puma";

    /// <summary>How long one snapshot serves the instruments (a collection reads them one after another).</summary>
    private static readonly TimeSpan SnapshotReuse = TimeSpan.FromMilliseconds(100);

    /// <summary>The tag that tells apart the runtimes of one process.</summary>
    public const string RuntimeTag = "runtime";

    private static int s_runtimes;

    private readonly Meter _meter;
    private readonly Func<PumaMetrics> _collect;
    private readonly object _gate = new();
    private PumaMetrics? _last;
    private long _lastTimestamp;

    public PumaMeter(Func<PumaMetrics> collect)
    {
        _collect = collect;
        RuntimeId = Interlocked.Increment(ref s_runtimes).ToString(System.Globalization.CultureInfo.InvariantCulture);
        _meter = new Meter(MeterName, typeof(PumaMeter).Assembly.GetName().Version?.ToString());
        Runnables("puma.runnable.items_in", "{item}", "Items the runnable's input handlers took.", r => r.ItemsIn);
        Runnables("puma.runnable.items_out", "{item}", "Items the runnable wrote to its output buffers.", r => r.ItemsOut);
        _meter.CreateObservableCounter("puma.runnable.handler_time", () => Snapshot().Runnables.Select(r => Tagged(r.HandlerTime.TotalSeconds, "runnable", r.Name)),
            "s", "Time the runnable's loop was busy serving its handlers.");
        _meter.CreateObservableGauge("puma.runnable.cpu", () => Snapshot().Runnables.Select(r => Tagged(r.CpuPercent, "runnable", r.Name)),
            "%", "CPU in percent of one core: the child process's for a process runnable; for a thread runnable its loop's busy share (awaits inside handlers included); 0 for a runnable on another node.");
        _meter.CreateObservableGauge("puma.runnable.memory", () => Snapshot().Runnables.Select(r => Tagged(r.MemoryBytes, "runnable", r.Name)),
            "By", "Resident memory of the process the runnable runs in (the supervisor's for a thread runnable); 0 when unknown (another node, an exited child).");
        Runnables("puma.runnable.restarts", "{restart}", "Times the failure policy restarted the runnable.", r => r.Restarts);
        Buffers("puma.buffer.items_written", "{item}", "Items written to the buffer.", b => b.ItemsWritten);
        Buffers("puma.buffer.items_read", "{item}", "Items read from the buffer (per reader end).", b => b.ItemsRead);
        Buffers("puma.buffer.bytes_written", "By", "Bytes written to the buffer.", b => b.BytesWritten);
        Buffers("puma.buffer.bytes_read", "By", "Bytes read from the buffer.", b => b.BytesRead);
        _meter.CreateObservableGauge("puma.buffer.fill", () => Snapshot().Buffers.Select(b => Tagged(b.FillLevel * 100, "buffer", b.Name)),
            "%", "How full the buffer is.");
        Buffers("puma.buffer.writer_waits", "{wait}", "Times a writer found the buffer full and waited (pressure).", b => b.WriterWaits);
    }

    /// <summary>The value of the <see cref="RuntimeTag"/> tag on this runtime's measurements: 1, 2, … in the order the runtimes of this process started.</summary>
    public string RuntimeId { get; }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();

    private void Runnables(string name, string unit, string description, Func<RunnableMetrics, long> value) =>
        _meter.CreateObservableCounter(name, () => Snapshot().Runnables.Select(r => Tagged(value(r), "runnable", r.Name)), unit, description);

    private void Buffers(string name, string unit, string description, Func<BufferMetrics, long> value) =>
        _meter.CreateObservableCounter(name, () => Snapshot().Buffers.Select(b => Tagged(value(b), "buffer", b.Name)), unit, description);

    private Measurement<T> Tagged<T>(T value, string key, string name)
        where T : struct => new(value, new KeyValuePair<string, object?>(key, name), new KeyValuePair<string, object?>(RuntimeTag, RuntimeId));

    private PumaMetrics Snapshot()
    {
        lock (_gate)
        {
            var now = Stopwatch.GetTimestamp();
            if (_last is null || Stopwatch.GetElapsedTime(_lastTimestamp, now) > SnapshotReuse)
            {
                _last = _collect();
                _lastTimestamp = now;
            }
            return _last;
        }
    }
}
