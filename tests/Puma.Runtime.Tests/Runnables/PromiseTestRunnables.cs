using System.Buffers.Binary;
using System.Diagnostics;
using System.Threading.Channels;
using Puma.Buffers.Codecs;
using Puma.Buffers.SharedMemory;
using Puma.Logging;
using Puma.Runnables;
using Serilog.Events;

namespace Puma.Runtime.Tests.Runnables;

// Test runnables for the README's promises (PromiseTests*.cs). Like the others: public, parameterless,
// configured through settable properties, observed through buffers, status and requests only.

public sealed record Bump;

public sealed record IsLogEnabled(LogEventLevel Level);

/// <summary>Names where an error came from, the same way in a thread and in a child process.</summary>
public static class ErrorOrigin
{
    /// <summary>
    /// The full type name of the exception that caused <paramref name="error"/>: through
    /// <see cref="ChannelClosedException"/> wrappers, and the original type of an error rebuilt from
    /// another process (<see cref="RemoteBufferException"/>, <see cref="RemoteException"/>).
    /// </summary>
    public static string Of(Exception? error) => error switch
    {
        null => "none",
        ChannelClosedException { InnerException: { } inner } => Of(inner),
        RemoteBufferException remote => remote.RemoteType,
        RemoteException remote => remote.RemoteType,
        AggregateException { InnerExceptions.Count: 1 } aggregate => Of(aggregate.InnerException),
        _ => error.GetType().FullName!,
    };
}

/// <summary>
/// Writes frames 0, 1, 2, ... without end; when a write throws, reports "write failed: &lt;origin&gt;"
/// (see <see cref="ErrorOrigin"/>) as its status and rethrows.
/// </summary>
public sealed class WatchfulProducer : Runnable
{
    private long _next;

    public required ChannelWriter<Frame> Output { get; init; }

    protected override void Configure(Handlers on) => on
        .Produce(async ct =>
        {
            try
            {
                await Output.WriteAsync(new Frame(_next, _next), ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Context.ReportStatus("write failed: " + ErrorOrigin.Of(e));
                throw;
            }
            _next++;
            return true;
        })
        .Request<GetState, long>(_ => _next);
}

/// <summary>
/// Reads its input (DelayPerItemMs per item); when the input ends, reports
/// "ended after N: &lt;origin of the completion error, or none&gt;" and ends normally.
/// </summary>
public sealed class ErrorRecorder : Runnable
{
    private long _count;

    public required ChannelReader<Frame> Input { get; init; }

    public int DelayPerItemMs { get; set; }

    protected override void Configure(Handlers on) => on
        .Input(Input, async (_, ct) =>
        {
            _count++;
            if (DelayPerItemMs > 0)
                await Task.Delay(DelayPerItemMs, ct);
        })
        .InputCompleted(Input, error => Context.ReportStatus($"ended after {_count}: {ErrorOrigin.Of(error)}"))
        .Request<GetState, long>(_ => _count)
        .Request<GetPid, int>(_ => Environment.ProcessId);
}

/// <summary>
/// A produce step that takes about 50 µs (so a 1 ms tick is due after every batch of 64) and counts
/// the longest run of produce steps with no tick in between; after Steps steps it reports
/// "longest run R, ticks T" and ends.
/// </summary>
public sealed class ProduceBatchProbe : Runnable
{
    private long _steps, _run, _longestRun, _ticks;

    public long Steps { get; set; } = 2000;

    protected override void Configure(Handlers on) => on
        .Tick(TimeSpan.FromMilliseconds(1), () =>
        {
            _ticks++;
            _run = 0;
        })
        .Produce(_ =>
        {
            if (_steps == Steps)
            {
                Context.ReportStatus($"longest run {_longestRun}, ticks {_ticks}");
                return new ValueTask<bool>(false);
            }
            _steps++;
            _longestRun = Math.Max(_longestRun, ++_run);
            var until = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 20_000;
            while (Stopwatch.GetTimestamp() < until)
                Thread.SpinWait(10);
            return new ValueTask<bool>(true);
        });
}

/// <summary>
/// A loop-style runnable (RunAsync) whose loop body (200 µs at a time, then a yield), commands, requests
/// and ticks each run a synchronous section that counts how often another section was inside at the same time.
/// GetState answers [overlaps, loop iterations, commands, requests, ticks].
/// </summary>
public sealed class LoopExclusivityChecker : Runnable
{
    private int _inside;
    private long _overlaps, _iterations, _commands, _requests, _ticks;

    protected override void Configure(Handlers on) => on
        .Command<SetGain>(_ => Section(ref _commands))
        .Request<GetState, long[]>(_ =>
        {
            Section(ref _requests);
            return [Volatile.Read(ref _overlaps), Volatile.Read(ref _iterations), _commands, _requests, _ticks];
        })
        .Tick(TimeSpan.FromMilliseconds(2), () => Section(ref _ticks));

    protected override async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            // The loop body is inside its section most of the time, so a handler running at the same time would be seen.
            Section(ref _iterations, Stopwatch.Frequency / 5000);
            await Task.Yield();
        }
    }

    private void Section(ref long counter, long spinTicks = 0)
    {
        if (Interlocked.Increment(ref _inside) != 1)
            Interlocked.Increment(ref _overlaps);
        var until = Stopwatch.GetTimestamp() + spinTicks;
        do
            Thread.SpinWait(100);
        while (Stopwatch.GetTimestamp() < until);
        Interlocked.Increment(ref counter);
        if (Interlocked.Decrement(ref _inside) != 0)
            Interlocked.Increment(ref _overlaps);
    }
}

/// <summary>
/// Counts Bump commands in a field; Boom throws. GetState answers "bumps:restartCount", so a test
/// sees whether a restarted run kept the field.
/// </summary>
public sealed class FieldKeeper : Runnable
{
    private int _bumps;

    protected override void Configure(Handlers on) => on
        .Command<Bump>(_ => _bumps++)
        .Command<Boom>(b => throw new InvalidOperationException(b.Message))
        .Request<GetState, string>(_ => $"{_bumps}:{Context.RestartCount}");
}

/// <summary>Answers whether its own logger (the one the runtime gave it, in its own process) is enabled at a level.</summary>
public sealed class LevelProbe : Runnable
{
    protected override void Configure(Handlers on) => on
        .Request<IsLogEnabled, bool>(q => Log.IsEnabled(q.Level))
        .Request<GetPid, int>(_ => Environment.ProcessId);
}

/// <summary>
/// Reads its input and answers GetState with "&lt;segment file&gt;|&lt;ring capacity in bytes&gt;" when the
/// input is a shared-memory ring in this process, "in-process" otherwise.
/// </summary>
public sealed class SegmentProbe : Runnable
{
    public required ChannelReader<Frame> Input { get; init; }

    protected override void Configure(Handlers on) => on
        .Input(Input, _ => { })
        .Request<GetState, string>(_ => Input is SharedMemoryChannelReader<Frame> ring
            ? $"{ring.Raw.Ring.FilePath}|{ring.Raw.Ring.CapacityBytes}|{ring.Raw.Ring.Name}|{ring.Raw.Ring.IsSealed}"
            : "in-process");
}

/// <summary>
/// Ignores Stop like <see cref="Stubborn"/>, but has an output: its first tick writes frame 0,
/// reports "writer in &lt;pid&gt;" and then works for IgnoreMs without looking at the token.
/// </summary>
public sealed class StubbornWriter : Runnable
{
    public required ChannelWriter<Frame> Output { get; init; }

    public int IgnoreMs { get; set; } = 8000;

    protected override void Configure(Handlers on) => on
        .Tick(TimeSpan.FromMilliseconds(1), () =>
        {
            Output.TryWrite(new Frame(0, 0));
            Context.ReportStatus($"writer in {Environment.ProcessId}");
            var until = Environment.TickCount64 + IgnoreMs;
            while (Environment.TickCount64 < until)
                Thread.Sleep(10);
        });
}

/// <summary>An item whose type names its codec: <see cref="CodecItemCodec"/>.</summary>
[BufferCodec(typeof(CodecItemCodec))]
public sealed class CodecItem
{
    public long Seq { get; set; }

    /// <summary>Not encoded: set by <see cref="CodecItemCodec.Decode"/> only, so a reader sees which codec decoded the item.</summary>
    public string? DecodedBy { get; set; }
}

/// <summary>Encodes a <see cref="CodecItem"/> as "PUMA" + Seq (12 bytes); decoding checks the tag and sets DecodedBy.</summary>
public sealed class CodecItemCodec : IBufferCodec<CodecItem>
{
    private static ReadOnlySpan<byte> Tag => "PUMA"u8;

    public bool TryGetByteCount(CodecItem value, out int byteCount)
    {
        byteCount = 12;
        return true;
    }

    public void Encode(CodecItem value, Span<byte> destination)
    {
        Tag.CopyTo(destination);
        BinaryPrimitives.WriteInt64LittleEndian(destination[4..], value.Seq);
    }

    public CodecItem Decode(ReadOnlySpan<byte> source)
    {
        if (source.Length != 12 || !source[..4].SequenceEqual(Tag))
            throw new InvalidDataException($"not a CodecItemCodec record ({source.Length} bytes)");
        return new CodecItem { Seq = BinaryPrimitives.ReadInt64LittleEndian(source[4..]), DecodedBy = nameof(CodecItemCodec) };
    }
}

/// <summary>Writes CodecItems with Seq 0..Count-1 from RunAsync.</summary>
public sealed class CodecSource : Runnable
{
    public required ChannelWriter<CodecItem> Output { get; init; }

    public int Count { get; set; } = 10;

    protected override async Task RunAsync(CancellationToken ct)
    {
        for (var i = 0; i < Count; i++)
            await Output.WriteAsync(new CodecItem { Seq = i }, ct);
    }
}
