using System.Threading.Channels;
using Puma.Buffers;
using Puma.Runnables;

namespace Puma.Runtime.Tests.Runnables;

// Runnables of the event tests: the same classes run in a thread or a process.

/// <summary>Asks an <see cref="EventDriver"/> to call Set, Reset or Pulse on its event; answered once done.</summary>
public sealed record EventOp(string Op);

/// <summary>Asks how many signals a <see cref="SignalCounter"/> handled, or how many items a <see cref="GatedForwarder"/> took.</summary>
public sealed record HowMany;

/// <summary>Counts the signals of its event in an event handler and reports the running count as status.</summary>
public sealed class SignalCounter : Runnable
{
    private int _count;

    public required PumaEvent Signal { get; init; }

    protected override void Configure(Handlers on) => on
        .Event(Signal, () => Context.ReportStatus(++_count))
        .Request<HowMany, int>(_ => _count)
        .Request<GetPid, int>(_ => Environment.ProcessId);
}

/// <summary>Sets, resets or pulses its event when asked (from wherever it is placed).</summary>
public sealed class EventDriver : Runnable
{
    public required PumaEvent Signal { get; init; }

    protected override void Configure(Handlers on) => on
        .Request<EventOp, bool>(op =>
        {
            switch (op.Op)
            {
                case "set":
                    Signal.Set();
                    break;
                case "reset":
                    Signal.Reset();
                    break;
                case "pulse":
                    Signal.Pulse();
                    break;
                default:
                    throw new ArgumentException($"unknown op '{op.Op}'");
            }
            return Signal.IsSet;
        })
        .Request<GetPid, int>(_ => Environment.ProcessId);
}

/// <summary>Awaits its event in RunAsync, reports "woken" and ends.</summary>
public sealed class EventAwaiter : Runnable
{
    public required PumaEvent Signal { get; init; }

    protected override void Configure(Handlers on) => on.Request<GetPid, int>(_ => Environment.ProcessId);

    protected override async Task RunAsync(CancellationToken cancellationToken)
    {
        await Signal.WaitAsync(cancellationToken);
        Context.ReportStatus("woken");
    }
}

/// <summary>A toggleable forwarder: serves its input only while Gate is set; counts the items it took.</summary>
public sealed class GatedForwarder : Runnable
{
    private long _taken;

    public required ChannelReader<int> Input { get; init; }

    public required ChannelWriter<int> Output { get; init; }

    public required PumaEvent Gate { get; init; }

    protected override void Configure(Handlers on) => on
        .ServeInputsWhile(Gate)
        .Input(Input, async (item, ct) =>
        {
            _taken++;
            await Output.WriteAsync(item, ct);
        })
        .Request<HowMany, long>(_ => _taken);
}

/// <summary>A terminator: writes 0..Count-1 and completes, which stops the whole pipeline.</summary>
[TerminatesPipeline]
public sealed class Countdown : Runnable
{
    private int _next;

    public required ChannelWriter<int> Output { get; init; }

    public int Count { get; set; } = 100;

    protected override void Configure(Handlers on) => on.Produce(async ct =>
    {
        if (_next >= Count)
            return false;
        await Output.WriteAsync(_next++, ct);
        return true;
    });
}

/// <summary>A terminator: completes once its event is set or pulsed.</summary>
[TerminatesPipeline]
public sealed class EventTerminator : Runnable
{
    public required PumaEvent Signal { get; init; }

    protected override void Configure(Handlers on) => on.Request<GetPid, int>(_ => Environment.ProcessId);

    protected override async Task RunAsync(CancellationToken cancellationToken) => await Signal.WaitAsync(cancellationToken);
}

/// <summary>Runs until stopped (no source); answers its pid.</summary>
public sealed class Idler : Runnable
{
    protected override void Configure(Handlers on) => on.Request<GetPid, int>(_ => Environment.ProcessId);
}

/// <summary>Sums its input until it completes; answers the count so far.</summary>
public sealed class IntSink : Runnable
{
    private long _count;

    public required ChannelReader<int> Input { get; init; }

    protected override void Configure(Handlers on) => on
        .Input(Input, _ => _count++)
        .Request<HowMany, long>(_ => _count);
}
