using System.Threading.Channels;
using Puma.Runnables;
using Puma.Runtime;

namespace Puma.Bench.PingPong;

/// <summary>
/// Puma runnables in thread placement joined by Puma buffers (in-process channels chosen by the
/// runtime at start): each actor is a <see cref="Runnable"/> with one input handler that forwards
/// every message to its peer's buffer. The per-turn batch is the input's <c>maxBatch</c>
/// (<see cref="Handlers.Input{T}(ChannelReader{T}, Func{T, CancellationToken, ValueTask}, int)"/>):
/// after that many messages the loop ends its turn (serves commands and ticks, then goes on).
/// Each buffer holds every message in flight, so a forward never waits. The messages start in
/// the first actor's buffer, written by this thread right after <c>StartAsync</c>.
/// </summary>
internal sealed class PumaPingPong : IPingPongImplementation
{
    /// <inheritdoc/>
    public string Name => "puma-threads";

    /// <inheritdoc/>
    public IPingPongRun Start(int pairs, int inFlight, int batch) => Run.Start(pairs, inFlight, batch);

    /// <summary>The message: a plain value, so a forward allocates nothing.</summary>
    internal readonly record struct Ping(long Value);

    /// <summary>One actor: forwards each message from its inbox to its peer and counts it.</summary>
    internal sealed class Actor : Runnable
    {
        /// <summary>This actor's inbox.</summary>
        public required ChannelReader<Ping> Inbox { get; init; }

        /// <summary>The peer's inbox.</summary>
        public required ChannelWriter<Ping> Peer { get; init; }

        /// <summary>Messages handled per turn.</summary>
        public required int Batch { get; init; }

        internal long[] Counters = [];
        internal int Slot;

        /// <inheritdoc/>
        protected override void Configure(Handlers on) => on.Input(Inbox, Forward, Batch);

        private ValueTask Forward(Ping ping, CancellationToken ct)
        {
            Counters[Slot]++;
            return Peer.TryWrite(ping) ? default : Peer.WriteAsync(ping, ct);
        }
    }

    private sealed class Run : IPingPongRun
    {
        private readonly PumaRuntime _runtime;
        private readonly long[] _counters;

        private Run(PumaRuntime runtime, long[] counters)
        {
            _runtime = runtime;
            _counters = counters;
        }

        public static Run Start(int pairs, int inFlight, int batch)
        {
            var actors = pairs * 2;
            var counters = PaddedCounters.Create(actors);
            var runtime = new PumaRuntime(new PumaOptions());
            try
            {
                var inboxes = new Puma.Buffers.PumaBuffer<Ping>[actors];
                for (var i = 0; i < actors; i++)
                    inboxes[i] = runtime.CreateBuffer<Ping>($"inbox{i}", inFlight);
                for (var i = 0; i < actors; i++)
                {
                    runtime.Add(new Actor
                    {
                        Name = $"actor{i}",
                        Inbox = inboxes[i].Reader,
                        Peer = inboxes[i ^ 1].Writer,
                        Batch = batch,
                        Counters = counters,
                        Slot = PaddedCounters.SlotOf(i),
                    }, Placement.Thread);
                }
                runtime.StartAsync().GetAwaiter().GetResult();
                for (var p = 0; p < pairs; p++)
                {
                    for (var m = 0; m < inFlight; m++)
                        if (!inboxes[2 * p].Writer.TryWrite(new Ping(m))) throw new InvalidOperationException("inbox too small");
                }

                return new Run(runtime, counters);
            }
            catch
            {
                runtime.DisposeAsync().AsTask().GetAwaiter().GetResult();
                throw;
            }
        }

        public long MessagesHandled => PaddedCounters.Sum(_counters);

        public async ValueTask DisposeAsync()
        {
            var stop = await _runtime.StopAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            await _runtime.DisposeAsync().ConfigureAwait(false);
            if (!stop.AllStopped) throw new InvalidOperationException($"actors did not stop: {string.Join(", ", stop.Abandoned)}");
        }
    }
}
