using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Puma.Runtime.Cluster.Bridge;
using Xunit.Abstractions;

namespace Puma.Cluster.Tests;

/// <summary>
/// A measurement, not a test: writer -> ring -> RingToStream -> loopback TCP -> StreamToRing -> ring -> reader
/// in one process, next to raw TCP. Runs only with PUMA_BRIDGE_THROUGHPUT=1 and asserts nothing but delivery:
/// <c>PUMA_BRIDGE_THROUGHPUT=1 nice -n 19 dotnet test tests/Puma.Cluster.Tests -c Release --filter "FullyQualifiedName~BridgeThroughput" --logger "console;verbosity=detailed"</c>.
/// </summary>
public sealed class BridgeThroughputTests(ITestOutputHelper output)
{
    private const int LargeItems = 49_152; // 3 GiB

    private static bool Enabled => Environment.GetEnvironmentVariable("PUMA_BRIDGE_THROUGHPUT") == "1";

    [Fact]
    public async Task MeasureThroughput()
    {
        if (!Enabled) return;
        await MeasureBridge(64, 1_000_000); // warm-up: tiered compilation
        await MeasureBridge(64 * 1024, 4096);
        try
        {
            await MeasureRounds();
        }
        finally
        {
            BridgeSocket.BufferBytes = 0;
        }
    }

    private async Task MeasureRounds()
    {
        foreach (var bufferBytes in new[] { 0, 1 << 20, 4 << 20 })
        {
            BridgeSocket.BufferBytes = bufferBytes;
            var label = bufferBytes == 0 ? "default socket buffers" : $"{bufferBytes >> 20} MiB socket buffers";
            var small = await MeasureBridge(64, 20_000_000);
            output.WriteLine($"{label}: bridge 64 B: {small.Items / small.Elapsed.TotalSeconds / 1e6:F2} M items/s ({small.Elapsed.TotalSeconds:F2} s)");
            var large = await MeasureBridge(64 * 1024, LargeItems);
            output.WriteLine($"{label}: bridge 64 KiB: {large.Items * 65536.0 / large.Elapsed.TotalSeconds / 1e9:F2} GB/s ({large.Elapsed.TotalSeconds:F2} s)");
            var raw = await MeasureRawTcp(LargeItems);
            output.WriteLine($"{label}: raw TCP 64 KiB writes: {LargeItems * 65536.0 / raw.TotalSeconds / 1e9:F2} GB/s ({raw.TotalSeconds:F2} s)");
        }
    }

    private static async Task<(long Items, TimeSpan Elapsed)> MeasureBridge(int itemBytes, int items)
    {
        await using var rig = await BridgeRig.StartAsync(sendCapacity: 4 << 20, receiveCapacity: 4 << 20);
        var clock = Stopwatch.StartNew();
        var writing = Task.Factory.StartNew(() =>
        {
            for (var i = 0; i < items; i++)
            {
                var span = rig.SendWriter.Claim(itemBytes);
                span[0] = (byte)i;
                rig.SendWriter.Commit();
            }
            rig.SendWriter.ReleaseWriter();
        }, TaskCreationOptions.LongRunning);
        var reading = Task.Factory.StartNew(() =>
        {
            long read = 0;
            while (true)
            {
                while (rig.ReceiveReader.TryAcquire(out var item))
                {
                    if (item.Length != itemBytes || item[0] != (byte)read) throw new InvalidDataException($"item {read}: {item.Length} bytes, first {item[0]}");
                    read++;
                    rig.ReceiveReader.Release();
                }
                if (read == items) return read;
                rig.ReceiveReader.WaitToRead();
            }
        }, TaskCreationOptions.LongRunning);
        var count = await reading.WaitAsync(TimeSpan.FromMinutes(5));
        var elapsed = clock.Elapsed;
        await writing;
        Assert.Equal(BridgeEnd.Completed.Instance, await rig.Sender.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(BridgeEnd.Completed.Instance, await rig.Receiver.WaitAsync(TimeSpan.FromSeconds(30)));
        return (count, elapsed);
    }

    private static async Task<TimeSpan> MeasureRawTcp(int writes)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        BridgeSocket.Configure(listener);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        BridgeSocket.Configure(client);
        await client.ConnectAsync(listener.LocalEndPoint!);
        using var server = await listener.AcceptAsync();
        BridgeSocket.Configure(server);
        var total = (long)writes * 65536;
        var clock = Stopwatch.StartNew();
        var sending = Task.Factory.StartNew(() =>
        {
            var chunk = new byte[65536];
            for (var i = 0; i < writes; i++) client.Send(chunk);
        }, TaskCreationOptions.LongRunning);
        var receiving = Task.Factory.StartNew(() =>
        {
            var chunk = new byte[65536];
            long received = 0;
            while (received < total) received += server.Receive(chunk);
        }, TaskCreationOptions.LongRunning);
        await Task.WhenAll(sending, receiving).WaitAsync(TimeSpan.FromMinutes(5));
        return clock.Elapsed;
    }
}
