using System.Net;
using Puma.Buffers.SharedMemory;
using Puma.Runtime.Cluster.Bridge;
using Puma.Runtime.Cluster.Node;
using Puma.Runtime.Cluster.Protocol;

namespace Puma.Cluster.Tests;

/// <summary>A node's output port when its child ends without completing the ring: what the child wrote still goes out.</summary>
public sealed class NodePortProxyTests
{
    private static readonly TimeSpan Liveness = BridgeRig.Liveness;

    [Fact]
    public async Task WhatAChildWroteBeforeItEndedWithoutCompletingIsSentWholeThenAnEndSayingItsWriterDied()
    {
        const int ItemBytes = 64 * 1024;
        await using var listener = new BridgeListener(IPAddress.Loopback);
        var token = BridgeToken.New();
        var accepted = listener.Expect(token);
        var proxy = await NodePortProxy.OpenAsync(new ProxyPort("Output", "scaled", true, 1 << 20, "127.0.0.1", listener.Endpoint.Port, token), tls: null, CancellationToken.None)
            .WaitAsync(Liveness);
        await using var _ = proxy;
        await using var stream = await accepted.WaitAsync(Liveness);

        // The child: writes until the ring is full and the bridge blocked (nothing reads the stream, so the sockets fill
        // too), then ends without completing.
        using var child = SharedMemoryRing.Attach(proxy.Segment);
        var written = await Task.Factory.StartNew(() =>
        {
            using var writer = child.OpenWriter();
            var count = 0;
            // Blocked: the ring stayed full for 300 ms after more than twice its capacity went in (the rest went out to the
            // sockets), so a pump that starts late does not pass for a blocked one.
            while (writer.TryClaim(ItemBytes, out var span) || SpinUntilClaimOrBlocked(writer, out span) || (long)count * ItemBytes <= 2 * child.CapacityBytes && WaitForClaim(writer, out span))
            {
                BridgeRig.Fill(span, count++);
                writer.Commit();
            }
            writer.Detach();
            return count;
        }, TaskCreationOptions.LongRunning).WaitAsync(Liveness);
        Assert.True(2 * child.CapacityBytes < (long)written * ItemBytes, $"{written} items fit the ring twice: the test needs the bridge blocked");

        var ended = proxy.ChildEndedAsync(childPid: 4242);
        using var receiving = BridgeRig.NewRing(1 << 20);
        var receiver = receiving.OpenWriter();
        var reading = ReadAllAsync(receiving);
        var end = Assert.IsType<BridgeEnd.CompletedWithError>(await StreamToRing.PumpAsync(stream, receiver, CancellationToken.None).WaitAsync(Liveness));
        receiver.TryComplete(end.Error);
        var read = await reading.WaitAsync(Liveness);

        Assert.Null(await ended.WaitAsync(Liveness));
        Assert.Equal(written, read.Count);
        Assert.All(read.Select((ok, i) => (ok, i)), r => Assert.True(r.ok, $"item {r.i} altered"));
        var died = Assert.IsType<RemoteBufferException>(end.Error);
        Assert.Equal(typeof(PeerProcessDiedException).FullName, died.RemoteType);
        Assert.Contains("4242", died.Message);
    }

    /// <summary>Waits a while for room; false once the ring has stayed full for 300 ms (the bridge is blocked).</summary>
    private static bool SpinUntilClaimOrBlocked(RingWriter writer, out Span<byte> span)
    {
        var until = DateTime.UtcNow.AddMilliseconds(300);
        while (DateTime.UtcNow < until)
        {
            if (writer.TryClaim(64 * 1024, out span)) return true;
            Thread.Sleep(5);
        }
        span = default;
        return false;
    }

    /// <summary>Waits for room as long as the test's patience lasts.</summary>
    private static bool WaitForClaim(RingWriter writer, out Span<byte> span)
    {
        var until = DateTime.UtcNow + Liveness;
        while (DateTime.UtcNow < until)
        {
            if (writer.TryClaim(64 * 1024, out span)) return true;
            Thread.Sleep(5);
        }
        span = default;
        return false;
    }

    /// <summary>Reads the ring until it completes (the pump stops writing to it): for each item, whether it held what was written.</summary>
    private static Task<List<bool>> ReadAllAsync(SharedMemoryRing ring) => Task.Factory.StartNew(() =>
    {
        using var reader = ring.OpenReader(0);
        var items = new List<bool>();
        using var patience = new CancellationTokenSource(Liveness);
        while (true)
        {
            while (reader.TryAcquire(out var item))
            {
                items.Add(item.Length == 64 * 1024 && BridgeRig.Holds(item, items.Count));
                reader.Release();
            }
            try
            {
                if (!reader.WaitToRead(patience.Token)) return items;
            }
            catch (RemoteBufferException)
            {
                return items;
            }
        }
    }, TaskCreationOptions.LongRunning);
}
