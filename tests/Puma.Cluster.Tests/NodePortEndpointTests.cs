using System.Buffers.Binary;
using System.Net;
using Puma.Buffers.SharedMemory;
using Puma.Runtime.Cluster.Bridge;
using Puma.Runtime.Cluster.Supervisor;
using Serilog.Core;
using Serilog.Events;

namespace Puma.Cluster.Tests;

/// <summary>
/// The supervisor's end of a node runnable's output port when the run is restarted: the previous run's stream goes on
/// to its end before the next run's is served (what a failed run wrote counts as written), unless it falls silent.
/// </summary>
public sealed class NodePortEndpointTests
{
    private static readonly TimeSpan Liveness = BridgeRig.Liveness;

    [Fact]
    public async Task APreviousRunsStreamIsDeliveredWholeBeforeTheNextRunsWhenTheNextConnectsWhileItIsBackpressured()
    {
        await using var port = new OutputPort(ringCapacity: 4096);
        await using var first = await port.ConnectRunAsync();
        await first.SendItemsAsync(0, 2_000); // 32 KiB of items: the ring takes an eighth of it, the rest waits in the sockets
        await first.SendWriterDiedEndAsync();
        await using var second = await port.ConnectRunAsync();
        await second.SendItemsAsync(2_000, 100);

        // Longer than NodePortEndpoint.PreviousRunSilence: a stream that waits on ring space is not silent.
        var read = await port.ReadAsync(2_100, pauseFirst: NodePortEndpoint.PreviousRunSilence * 2.5);

        Assert.Equal(Enumerable.Range(0, 2_100).Select(i => (long)i), read);
        Assert.DoesNotContain(port.Log, e => e.Level >= LogEventLevel.Warning);
    }

    [Fact]
    public async Task ARunThatConnectedWhileThePreviousWasDrainedIsServedEvenWhenTheRunnableEndsMeanwhile()
    {
        await using var port = new OutputPort(ringCapacity: 4096);
        await using var first = await port.ConnectRunAsync();
        await first.SendItemsAsync(0, 2_000);
        await first.SendWriterDiedEndAsync();
        await using var second = await port.ConnectRunAsync();
        await second.SendItemsAsync(2_000, 100);
        await second.SendCompletedEndAsync();
        port.Close(); // the runnable ended for good (its last run completed) while the first run's stream still drains

        var read = await port.ReadAllAsync(pauseFirst: TimeSpan.FromMilliseconds(300));

        Assert.Equal(Enumerable.Range(0, 2_100).Select(i => (long)i), read);
    }

    [Fact]
    public async Task APreviousRunsStreamThatFallsSilentIsCutSoThatTheNextRunIsServed()
    {
        await using var port = new OutputPort(ringCapacity: 1 << 16);
        await using var first = await port.ConnectRunAsync();
        await first.SendItemsAsync(0, 3); // then silent, its stream left open: a node that is gone without a word
        Assert.Equal([0L, 1, 2], await port.ReadAsync(3));
        await using var second = await port.ConnectRunAsync();
        await second.SendItemsAsync(100, 5);

        var read = await port.ReadAsync(5);

        Assert.Equal([100L, 101, 102, 103, 104], read);
        Assert.Contains(port.Log, e => e.Level == LogEventLevel.Warning && e.RenderMessage().Contains("was silent", StringComparison.Ordinal));
    }

    /// <summary>An output port's endpoint over a ring of its own, with the ring's reader, and the runs that connect to it.</summary>
    private sealed class OutputPort : IAsyncDisposable, ILogEventSink
    {
        private readonly BridgeListener _listener = new(IPAddress.Loopback);
        private readonly SharedMemoryRing _ring;
        private readonly RingReader _reader;
        private readonly NodePortEndpoint _endpoint;

        public OutputPort(long ringCapacity)
        {
            _ring = BridgeRig.NewRing(ringCapacity);
            _reader = _ring.OpenReader(0);
            var log = new Serilog.LoggerConfiguration().MinimumLevel.Debug().WriteTo.Sink(this).CreateLogger();
            _endpoint = new NodePortEndpoint(_listener, _ring, "scale", "Output", isWriter: true, readerSlot: -1, log);
        }

        public List<LogEvent> Log { get; } = [];

        public void Emit(LogEvent logEvent)
        {
            lock (Log) Log.Add(logEvent);
        }

        public void Close() => _endpoint.Close();

        /// <summary>Connects as a node's run does: a refusal (the endpoint not expecting the next run yet) is retried.</summary>
        public async Task<Run> ConnectRunAsync()
        {
            var until = DateTime.UtcNow + Liveness;
            while (true)
            {
                try
                {
                    return new(await BridgeConnector.ConnectAsync("127.0.0.1", _listener.Endpoint.Port, _endpoint.Token, CancellationToken.None).WaitAsync(Liveness));
                }
                catch (BridgeRefusedException) when (DateTime.UtcNow < until)
                {
                    await Task.Delay(20);
                }
            }
        }

        /// <summary>Reads every item until the ring completes (normally: a completion error fails the read).</summary>
        public Task<List<long>> ReadAllAsync(TimeSpan pauseFirst) => ReadAsync(int.MaxValue, pauseFirst);

        /// <summary>Reads <paramref name="count"/> items (each an 8-byte index), after <paramref name="pauseFirst"/>.</summary>
        public Task<List<long>> ReadAsync(int count, TimeSpan pauseFirst = default) => Task.Factory.StartNew(() =>
        {
            Thread.Sleep(pauseFirst);
            using var patience = new CancellationTokenSource(Liveness);
            var read = new List<long>();
            while (read.Count < count)
            {
                while (read.Count < count && _reader.TryAcquire(out var item))
                {
                    read.Add(BinaryPrimitives.ReadInt64LittleEndian(item));
                    _reader.Release();
                }
                if (read.Count < count && !_reader.WaitToRead(patience.Token))
                    break;
            }
            return read;
        }, TaskCreationOptions.LongRunning).WaitAsync(Liveness);

        public async ValueTask DisposeAsync()
        {
            await _endpoint.DisposeAsync();
            await _listener.DisposeAsync();
            _reader.Dispose();
            _ring.Dispose();
        }
    }

    /// <summary>A run's bridge stream, written frame by frame as a node's <see cref="RingToStream"/> would.</summary>
    private sealed class Run(Stream stream) : IAsyncDisposable
    {
        public async Task SendItemsAsync(long first, int count)
        {
            var frames = new byte[count * (BridgeFrames.HeaderBytes + 8)];
            for (var i = 0; i < count; i++)
            {
                var at = i * (BridgeFrames.HeaderBytes + 8);
                BinaryPrimitives.WriteInt32LittleEndian(frames.AsSpan(at), 8);
                BinaryPrimitives.WriteInt64LittleEndian(frames.AsSpan(at + BridgeFrames.HeaderBytes), first + i);
            }
            await stream.WriteAsync(frames).AsTask().WaitAsync(Liveness);
            await stream.FlushAsync().WaitAsync(Liveness);
        }

        /// <summary>The end a node sends when the run's child completed its ring.</summary>
        public async Task SendCompletedEndAsync()
        {
            await stream.WriteAsync(BridgeFrames.EncodeEnd(null)).AsTask().WaitAsync(Liveness);
            await stream.FlushAsync().WaitAsync(Liveness);
        }

        /// <summary>The end a node sends when the run's child ended without completing its ring.</summary>
        public async Task SendWriterDiedEndAsync()
        {
            await stream.WriteAsync(BridgeFrames.EncodeEnd(new PeerProcessDiedException("the child ended", 42))).AsTask().WaitAsync(Liveness);
            await stream.FlushAsync().WaitAsync(Liveness);
        }

        public ValueTask DisposeAsync() => stream.DisposeAsync();
    }
}
