using System.Net;
using System.Security.Cryptography.X509Certificates;
using Puma.Buffers;
using Puma.Buffers.SharedMemory;
using Puma.Runtime.Cluster.Bridge;

namespace Puma.Cluster.Tests;

/// <summary>
/// Two rings joined by a bridge in one process: items written to <see cref="SendWriter"/> cross
/// <see cref="RingToStream"/>, a loopback TCP connection and <see cref="StreamToRing"/> to <see cref="ReceiveReader"/>.
/// </summary>
internal sealed class BridgeRig : IAsyncDisposable
{
    public static readonly TimeSpan Liveness = TimeSpan.FromSeconds(30);

    private readonly CancellationTokenSource _stop = new();

    private BridgeRig(long sendCapacity, long receiveCapacity)
    {
        SendRing = NewRing(sendCapacity);
        ReceiveRing = NewRing(receiveCapacity);
        SendWriter = SendRing.OpenWriter();
        SendReader = SendRing.OpenReader(0);
        ReceiveWriter = ReceiveRing.OpenWriter();
        ReceiveReader = ReceiveRing.OpenReader(0);
    }

    public SharedMemoryRing SendRing { get; }
    public SharedMemoryRing ReceiveRing { get; }
    public RingWriter SendWriter { get; }
    public RingReader SendReader { get; }
    public RingWriter ReceiveWriter { get; }
    public RingReader ReceiveReader { get; }
    public BridgeListener Listener { get; private set; } = null!;
    public Stream SenderStream { get; private set; } = null!;
    public Stream ReceiverStream { get; private set; } = null!;
    public Task<BridgeEnd> Sender { get; private set; } = null!;
    public Task<BridgeEnd> Receiver { get; private set; } = null!;

    public static SharedMemoryRing NewRing(long capacity) =>
        SharedMemoryRing.Create(new SharedMemoryRingOptions { CapacityBytes = capacity, Mode = BufferMode.ManyToOne, Readers = 1, Writers = 1 });

    /// <summary>Creates the rings, connects them through a listener on 127.0.0.1 and starts both pumps.</summary>
    public static async Task<BridgeRig> StartAsync(long sendCapacity = 1 << 20, long receiveCapacity = 1 << 20, X509Certificate2? certificate = null)
    {
        var rig = new BridgeRig(sendCapacity, receiveCapacity);
        try
        {
            rig.Listener = new BridgeListener(IPAddress.Loopback, certificate: certificate);
            var token = BridgeToken.New();
            var expected = rig.Listener.Expect(token);
            rig.SenderStream = await BridgeConnector.ConnectAsync("127.0.0.1", rig.Listener.Endpoint.Port, token, certificate, CancellationToken.None).WaitAsync(Liveness);
            rig.ReceiverStream = await expected.WaitAsync(Liveness);
            rig.Sender = Task.Run(() => RingToStream.PumpAsync(rig.SendReader, rig.SenderStream, rig._stop.Token));
            rig.Receiver = Task.Run(() => StreamToRing.PumpAsync(rig.ReceiverStream, rig.ReceiveWriter, rig._stop.Token));
            return rig;
        }
        catch
        {
            await rig.DisposeAsync();
            throw;
        }
    }

    /// <summary>The bytes of item <paramref name="index"/> of <paramref name="length"/> bytes.</summary>
    public static void Fill(Span<byte> item, int index)
    {
        for (var j = 0; j < item.Length; j++) item[j] = (byte)(index * 7 + j * 13);
    }

    /// <summary>True when <paramref name="item"/> holds what <see cref="Fill"/> wrote for <paramref name="index"/>.</summary>
    public static bool Holds(ReadOnlySpan<byte> item, int index)
    {
        for (var j = 0; j < item.Length; j++)
            if (item[j] != (byte)(index * 7 + j * 13)) return false;
        return true;
    }

    /// <summary>Writes items 0..lengths-1 to the sending ring (blocking claims), on a thread of its own.</summary>
    public Task WriteAsync(IReadOnlyList<int> lengths, Exception? completeWith = null, bool complete = true) => Task.Factory.StartNew(() =>
    {
        for (var i = 0; i < lengths.Count; i++)
        {
            var span = SendWriter.Claim(lengths[i], _stop.Token);
            Fill(span, i);
            SendWriter.Commit();
        }
        if (completeWith is not null) SendWriter.TryComplete(completeWith);
        else if (complete) SendWriter.ReleaseWriter();
    }, TaskCreationOptions.LongRunning);

    /// <summary>Reads the receiving ring until it completes: the lengths read, and the first item that did not hold what was written (-1: none).</summary>
    public Task<(List<int> Lengths, int FirstBad)> ReadAllAsync(ManualResetEventSlim? resume = null) => Task.Factory.StartNew(() =>
    {
        resume?.Wait(_stop.Token);
        var lengths = new List<int>();
        var firstBad = -1;
        while (true)
        {
            while (ReceiveReader.TryAcquire(out var item))
            {
                if (firstBad < 0 && !Holds(item, lengths.Count)) firstBad = lengths.Count;
                lengths.Add(item.Length);
                ReceiveReader.Release();
            }
            if (!ReceiveReader.WaitToRead(_stop.Token)) return (lengths, firstBad);
        }
    }, TaskCreationOptions.LongRunning);

    /// <summary>
    /// What a stalled rig looks like, for a liveness failure's message: each ring's state, cursors and parked ends, the
    /// pumps' task states and the thread pool's counts (the bridge test's rare 30 s stall on a loaded machine has not
    /// been reproduced at will; the next one should say where it stood).
    /// </summary>
    public unsafe string Describe(params (string Name, Task Task)[] tasks)
    {
        static string Ring(string name, SharedMemoryRing ring) =>
            $"{name} ring: state {ring.State}, reserve cursor {Volatile.Read(ref *ring.ReserveCursor)}, reader 0 cursor {Volatile.Read(ref *ring.SlotCursor(0))}, " +
            $"data waiters {Volatile.Read(ref *ring.DataWaiters)}, space waiters {Volatile.Read(ref *ring.SpaceWaiters)}";
        var all = tasks.Append(("sender pump", (Task)Sender)).Append(("receiver pump", Receiver));
        return string.Join("; ", new[] { Ring("send", SendRing), Ring("receive", ReceiveRing) }
            .Concat(all.Select(t => $"{t.Item1} {t.Item2?.Status}"))
            .Append($"thread pool: {ThreadPool.ThreadCount} threads, {ThreadPool.PendingWorkItemCount} work items queued"));
    }

    /// <summary>Cancels both pumps (and blocked writes and reads of the rig's threads).</summary>
    public Task StopAsync() => _stop.CancelAsync();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var pump in new[] { Sender, Receiver })
            if (pump is not null) await ((Task)pump).WaitAsync(Liveness).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (SenderStream is not null) await SenderStream.DisposeAsync();
        if (ReceiverStream is not null) await ReceiverStream.DisposeAsync();
        if (Listener is not null) await Listener.DisposeAsync();
        SendRing.Dispose();
        ReceiveRing.Dispose();
        _stop.Dispose();
    }
}
