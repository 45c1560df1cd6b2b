using System.Threading.Channels;
using Puma.Runnables;

namespace Puma.Runtime.Tests.Runnables;

// Test runnables: public, parameterless, configured through settable properties and observed only
// through buffers, status and requests, so that the same class runs in a thread or a process.

public sealed record Frame(long Seq, double Value);

public sealed record SetGain(double Gain);

public sealed record GetState(string What);

public sealed record Boom(string Message);

/// <summary>Makes a <see cref="Ticker"/> fail as a writer fails whose readers' processes died.</summary>
public sealed record LoseReaders(string Message);

public sealed record GetPid;

public sealed record Summary(string Reader, long Count, long Sum, bool InOrder);

/// <summary>Emits Count frames with Seq 0..Count-1 through a produce step, then completes.</summary>
public sealed class Producer : Runnable
{
    private long _next;

    public required ChannelWriter<Frame> Output { get; init; }

    public long Count { get; set; } = 100;

    /// <summary>When true, never stops producing (a flood).</summary>
    public bool Endless { get; set; }

    protected override void Configure(Handlers on) => on
        .Produce(async ct =>
        {
            if (!Endless && _next >= Count)
                return false;
            await Output.WriteAsync(new Frame(_next, _next), ct);
            _next++;
            return true;
        })
        .Request<GetState, long>(_ => _next);
}

/// <summary>Multiplies by Gain; throws on frame FailAt (if >= 0) while RestartCount &lt; FailRuns.</summary>
public sealed class Scale : Runnable
{
    public required ChannelReader<Frame> Input { get; init; }

    public required ChannelWriter<Frame> Output { get; init; }

    public double Gain { get; set; } = 2;

    public long FailAt { get; set; } = -1;

    public int FailRuns { get; set; } = int.MaxValue;

    protected override void Configure(Handlers on) => on
        .Input(Input, async (frame, ct) =>
        {
            if (frame.Seq == FailAt && Context.RestartCount < FailRuns)
                throw new InvalidOperationException($"scale failed at frame {frame.Seq}");
            await Output.WriteAsync(frame with { Value = frame.Value * Gain }, ct);
        })
        .Command<SetGain>(c => Gain = c.Gain)
        .Request<GetState, double>(_ => Gain)
        .Request<GetPid, int>(_ => Environment.ProcessId);
}

/// <summary>Reads its input and writes one Summary (count, sum of Seq, order) to Output when it completes.</summary>
public sealed class Collector : Runnable
{
    private long _count, _sum, _last = -1;
    private bool _inOrder = true;

    public required ChannelReader<Frame> Input { get; init; }

    public required ChannelWriter<Summary> Output { get; init; }

    public int DelayPerItemMs { get; set; }

    protected override void Configure(Handlers on) => on
        .Input(Input, async (frame, ct) =>
        {
            _inOrder &= frame.Seq > _last;
            _last = frame.Seq;
            _count++;
            _sum += frame.Seq;
            if (DelayPerItemMs > 0)
                await Task.Delay(DelayPerItemMs, ct);
        })
        .InputCompleted(Input, async (error, ct) =>
        {
            if (error is not null)
                throw error;
            await Output.WriteAsync(new Summary(Name, _count, _sum, _inOrder), ct);
        })
        .Request<GetState, long>(_ => _count);
}

/// <summary>Forwards every frame (after DelayPerItemMs); reports its Id in each forwarded frame's Value (for competing readers).</summary>
public sealed class Worker : Runnable
{
    public required ChannelReader<Frame> Input { get; init; }

    public required ChannelWriter<Frame> Output { get; init; }

    public int Id { get; set; }

    public int DelayPerItemMs { get; set; }

    protected override void Configure(Handlers on) => on
        .Input(Input, async (frame, ct) =>
        {
            if (DelayPerItemMs > 0)
                await Task.Delay(DelayPerItemMs, ct);
            await Output.WriteAsync(frame with { Value = Id }, ct);
        })
        .Request<GetPid, int>(_ => Environment.ProcessId);
}

/// <summary>
/// Checks that its handlers never overlap: input, command, request and tick each yield inside and
/// count how often another handler was inside at the same time. Answers GetState("overlaps").
/// </summary>
public sealed class ExclusiveChecker : Runnable
{
    private int _inside;
    private long _overlaps, _items, _commands, _ticks;

    public required ChannelReader<Frame> Input { get; init; }

    protected override void Configure(Handlers on) => on
        .Input(Input, (_, _) => Enter(ref _items))
        .Command<SetGain>((_, _) => Enter(ref _commands))
        .Tick(TimeSpan.FromMilliseconds(5), _ => Enter(ref _ticks))
        .Request<GetState, long[]>(_ => [_overlaps, _items, _commands, _ticks]);

    private ValueTask Enter(ref long counter)
    {
        counter++;
        return new ValueTask(EnterAsync());
    }

    private async Task EnterAsync()
    {
        if (Interlocked.Increment(ref _inside) != 1)
            Interlocked.Increment(ref _overlaps);
        await Task.Yield();
        Thread.SpinWait(100);
        if (Interlocked.Decrement(ref _inside) != 0)
            Interlocked.Increment(ref _overlaps);
    }
}

/// <summary>Reports a status every tick with a running number; answers requests; handles Boom by throwing.</summary>
public sealed class Ticker : Runnable
{
    private int _n;

    public int IntervalMs { get; set; } = 20;

    protected override void Configure(Handlers on) => on
        .Tick(TimeSpan.FromMilliseconds(IntervalMs), () => Context.ReportStatus(++_n))
        .Request<GetState, string>(q => q.What == "fail" ? throw new ArgumentException("bad question") : $"{Name}:{q.What}:{Context.RestartCount}")
        .Command<Boom>(b => throw new InvalidOperationException(b.Message))
        .Command<LoseReaders>(l => throw new Puma.Buffers.SharedMemory.PeerProcessDiedException(l.Message, 0))
        .Command<SetGain>(g => Log.Information("Gain set to {Gain}", g.Gain))
        .Request<GetPid, int>(_ => Environment.ProcessId);
}

/// <summary>Handles a flooded input slowly-ish and counts commands; answers GetState with [items, commands].</summary>
public sealed class FloodedSink : Runnable
{
    private long _items, _commands, _ticks;

    public required ChannelReader<Frame> Input { get; init; }

    protected override void Configure(Handlers on) => on
        .Input(Input, _ => { _items++; Thread.SpinWait(50); })
        .Command<SetGain>(_ => _commands++)
        .Tick(TimeSpan.FromMilliseconds(10), () => { _ticks++; Context.ReportStatus(_ticks); })
        .Request<GetState, long[]>(_ => [_items, _commands, _ticks]);
}

/// <summary>A loop-style source: RunAsync writes Count frames; fails after FailAfterMs when RestartCount &lt; FailRuns.</summary>
public sealed class LoopSource : Runnable
{
    public required ChannelWriter<Frame> Output { get; init; }

    public long Count { get; set; } = 10;

    public int FailAfterMs { get; set; } = -1;

    public int FailRuns { get; set; }

    public double Gain { get; set; } = 1;

    protected override void Configure(Handlers on) => on
        .Command<SetGain>(c => Gain = c.Gain)
        .Request<GetState, int>(_ => Context.RestartCount);

    protected override async Task RunAsync(CancellationToken ct)
    {
        Context.ReportStatus($"run {Context.RestartCount}");
        if (FailAfterMs >= 0 && Context.RestartCount < FailRuns)
        {
            await Task.Delay(FailAfterMs, ct);
            throw new InvalidOperationException($"loop source failed on run {Context.RestartCount}");
        }
        for (long i = 0; i < Count; i++)
            await Output.WriteAsync(new Frame(i, i * Gain), ct);
    }
}

/// <summary>Ignores Stop: its handler keeps working for IgnoreMs without looking at the token. Reports "ignoring stop in &lt;pid&gt;".</summary>
public sealed class Stubborn : Runnable
{
    public int IgnoreMs { get; set; } = 3000;

    protected override void Configure(Handlers on) => on
        .Tick(TimeSpan.FromMilliseconds(1), () =>
        {
            Context.ReportStatus($"ignoring stop in {Environment.ProcessId}");
            var until = Environment.TickCount64 + IgnoreMs;
            while (Environment.TickCount64 < until)
                Thread.Sleep(10);
        });
}
