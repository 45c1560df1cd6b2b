using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using System.Threading.Channels;
using Puma.Runnables;

namespace Puma.Bench.Cluster;

/// <summary>Writes Count items of ItemBytes bytes (each stamped with its index), then completes.</summary>
public sealed class ItemProducer : Runnable
{
    private long _next;
    private byte[]? _item;

    public required ChannelWriter<byte[]> Output { get; init; }

    public long Count { get; set; }

    public int ItemBytes { get; set; }

    protected override void Configure(Handlers on) => on.Produce(async ct =>
    {
        _item ??= new byte[ItemBytes];
        for (var batch = 0; batch < 4096 && _next < Count; batch++, _next++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(_item, _next);
            if (!Output.TryWrite(_item))
                await Output.WriteAsync(_item, ct);
        }

        return _next < Count;
    });
}

/// <summary>Counts the items it reads, checks their order, and reports (items, seconds from item WarmUpItems to completion, in order).</summary>
public sealed class ItemCounter : Runnable
{
    private long _count;
    private long _first;
    private bool _inOrder = true;

    public required ChannelReader<byte[]> Input { get; init; }

    public long WarmUpItems { get; set; }

    protected override void Configure(Handlers on) => on
        .Input(Input, item =>
        {
            if (_count == WarmUpItems)
                _first = Stopwatch.GetTimestamp();
            _inOrder &= BinaryPrimitives.ReadInt64LittleEndian(item) == _count;
            _count++;
        })
        .InputCompleted(Input, error =>
        {
            if (error is not null)
                throw error;
            Context.ReportStatus(new CountReport(_count, Stopwatch.GetElapsedTime(_first).TotalSeconds, _inOrder));
        });
}

/// <summary>What an <see cref="ItemCounter"/> saw.</summary>
public sealed record CountReport(long Items, double Seconds, bool InOrder);

/// <summary>The raw TCP baseline: sends Count records of ItemBytes (int32 length + payload) in 64 KiB writes to Host:Port, then closes.</summary>
public sealed class RawTcpSender : Runnable
{
    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; }

    public long Count { get; set; }

    public int ItemBytes { get; set; }

    protected override void Configure(Handlers on) => on.Produce(async ct =>
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(Host, Port, ct);
        var record = 4 + ItemBytes;
        var batch = new byte[Math.Max(64 * 1024, record)];
        var used = 0;
        for (long i = 0; i < Count; i++)
        {
            if (used + record > batch.Length)
            {
                await socket.SendAsync(batch.AsMemory(0, used), ct);
                used = 0;
            }

            BinaryPrimitives.WriteInt32LittleEndian(batch.AsSpan(used), ItemBytes);
            BinaryPrimitives.WriteInt64LittleEndian(batch.AsSpan(used + 4), i);
            used += record;
        }

        if (used > 0)
            await socket.SendAsync(batch.AsMemory(0, used), ct);
        socket.Shutdown(SocketShutdown.Send);
        return false;
    });
}

/// <summary>Answers with its process id (placement and join time).</summary>
public sealed class NodeEcho : Runnable
{
    protected override void Configure(Handlers on) => on.Request<WhereAreYou, int>(_ => Environment.ProcessId);
}

/// <summary>The request of <see cref="NodeEcho"/>.</summary>
public sealed record WhereAreYou;
