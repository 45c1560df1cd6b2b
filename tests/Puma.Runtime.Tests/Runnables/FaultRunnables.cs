using Puma.Runnables;

namespace Puma.Runtime.Tests.Runnables;

/// <summary>A request whose handler waits <see cref="Ms"/> milliseconds (honouring the stop token).</summary>
public sealed record Hang(int Ms);

/// <summary>
/// Reports its pid as status on every tick, answers <see cref="GetPid"/> and <see cref="Hang"/>, throws on
/// <see cref="Boom"/>, and logs one Information event per <see cref="SetGain"/>.
/// </summary>
public sealed class Sentinel : Runnable
{
    public int IntervalMs { get; set; } = 20;

    protected override void Configure(Handlers on) => on
        .Tick(TimeSpan.FromMilliseconds(IntervalMs), () => Context.ReportStatus(Environment.ProcessId))
        .Request<GetPid, int>(_ => Environment.ProcessId)
        .Request<Hang, int>(async (h, ct) =>
        {
            await Task.Delay(h.Ms, ct);
            return h.Ms;
        })
        .Command<Boom>(b => throw new InvalidOperationException(b.Message));
}

/// <summary>Writes one byte[] item of <see cref="Size"/> bytes, then completes.</summary>
public sealed class BigWriter : Runnable
{
    public required System.Threading.Channels.ChannelWriter<byte[]> Output { get; init; }

    public int Size { get; set; }

    protected override async Task RunAsync(CancellationToken ct) => await Output.WriteAsync(new byte[Size], ct);
}

/// <summary>Reads byte[] items and counts them.</summary>
public sealed class ByteSink : Runnable
{
    private long _items;

    public required System.Threading.Channels.ChannelReader<byte[]> Input { get; init; }

    protected override void Configure(Handlers on) => on
        .Input(Input, _ => _items++)
        .Request<GetState, long>(_ => _items);
}
