using System.Threading.Channels;

namespace Puma.Bench.PingPong;

/// <summary>
/// The raw baseline: each actor is an async loop over its inbox, a bare
/// <see cref="Channel{T}"/> (bounded with capacity = messages in flight, so a write never
/// waits, or unbounded); it forwards every message it reads to its peer's inbox. One turn
/// handles up to <c>batch</c> messages, then the actor yields to the thread pool
/// (<see cref="Task.Yield"/>) if more may be waiting, or awaits its inbox when it is empty.
/// </summary>
internal sealed class RawChannelPingPong(bool bounded) : IPingPongImplementation
{
    /// <inheritdoc/>
    public string Name => bounded ? "channels-bounded" : "channels-unbounded";

    /// <inheritdoc/>
    public IPingPongRun Start(int pairs, int inFlight, int batch) => new Run(pairs, inFlight, batch, bounded);

    private readonly record struct Ping(long Value);

    private sealed class Run : IPingPongRun
    {
        private readonly long[] _counters;
        private readonly Channel<Ping>[] _inboxes;
        private readonly Task[] _actors;
        private volatile bool _stop;

        public Run(int pairs, int inFlight, int batch, bool bounded)
        {
            var actors = pairs * 2;
            _counters = PaddedCounters.Create(actors);
            _inboxes = new Channel<Ping>[actors];
            for (var i = 0; i < actors; i++)
            {
                _inboxes[i] = bounded
                    ? Channel.CreateBounded<Ping>(new BoundedChannelOptions(inFlight) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait })
                    : Channel.CreateUnbounded<Ping>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            }
            // The pair's messages start in the first actor's inbox.
            for (var p = 0; p < pairs; p++)
            {
                for (var m = 0; m < inFlight; m++)
                    if (!_inboxes[2 * p].Writer.TryWrite(new Ping(m))) throw new InvalidOperationException("inbox too small");
            }

            _actors = new Task[actors];
            for (var i = 0; i < actors; i++)
            {
                int self = i, peer = i ^ 1;
                _actors[i] = Task.Run(() => ActorAsync(self, _inboxes[self].Reader, _inboxes[peer].Writer, batch));
            }
        }

        public long MessagesHandled => PaddedCounters.Sum(_counters);

        private async Task ActorAsync(int self, ChannelReader<Ping> inbox, ChannelWriter<Ping> peer, int batch)
        {
            long handled = 0;
            try
            {
                while (!_stop)
                {
                    var n = 0;
                    while (n < batch && inbox.TryRead(out var ping))
                    {
                        if (!peer.TryWrite(ping)) await peer.WriteAsync(ping).ConfigureAwait(false);
                        n++;
                    }
                    handled += n;
                    Volatile.Write(ref _counters[PaddedCounters.SlotOf(self)], handled);
                    if (n == batch) await Task.Yield();                                        // end of turn
                    else if (!await inbox.WaitToReadAsync().ConfigureAwait(false)) break;    // inbox empty
                }
            }
            catch (ChannelClosedException) { }
        }

        public async ValueTask DisposeAsync()
        {
            _stop = true;
            foreach (var c in _inboxes) c.Writer.TryComplete();
            await Task.WhenAll(_actors).ConfigureAwait(false);
        }
    }
}
