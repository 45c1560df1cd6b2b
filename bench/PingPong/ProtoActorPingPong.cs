using Proto;
using Proto.Mailbox;

namespace Puma.Bench.PingPong;

/// <summary>
/// Proto.Actor 1.8 actors, as Proto.Actor's own in-process benchmark runs them: each actor is an
/// <see cref="IActor"/> that sends every message it receives to its peer's PID
/// (<see cref="ISenderContext.Send"/>), spawned with a <see cref="ThreadPoolDispatcher"/> whose
/// <c>Throughput</c> (messages an actor handles per mailbox run before yielding) is the batch size,
/// in an <see cref="ActorSystem"/> of the default <see cref="ActorSystemConfig"/>. Each in-flight
/// message is one object created at start and passed back and forth. The messages start in the
/// first actor's mailbox; dispose shuts the system down.
/// </summary>
internal sealed class ProtoActorPingPong : IPingPongImplementation
{
    /// <inheritdoc/>
    public string Name => "protoactor";

    /// <inheritdoc/>
    public IPingPongRun Start(int pairs, int inFlight, int batch) => Run.Start(pairs, inFlight, batch);

    /// <summary>A message in flight.</summary>
    private sealed class Ping(long value)
    {
        public long Value { get; } = value;
    }

    /// <summary>Tells an actor who its peer is (sent before any <see cref="Ping"/>).</summary>
    private sealed record Peer(PID Pid);

    /// <summary>One actor: counts each ping and sends it to its peer.</summary>
    private sealed class Actor(long[] counters, int slot) : IActor
    {
        private PID? _peer;

        public Task ReceiveAsync(IContext context)
        {
            switch (context.Message)
            {
                case Ping ping:
                    counters[slot]++;
                    context.Send(_peer!, ping);
                    break;
                case Peer peer:
                    _peer = peer.Pid;
                    break;
            }
            return Task.CompletedTask;
        }
    }

    private sealed class Run : IPingPongRun
    {
        private static readonly TimeSpan StopPatience = TimeSpan.FromSeconds(10);
        private readonly ActorSystem _system;
        private readonly long[] _counters;

        private Run(ActorSystem system, long[] counters)
        {
            _system = system;
            _counters = counters;
        }

        public static Run Start(int pairs, int inFlight, int batch)
        {
            var actors = pairs * 2;
            var counters = PaddedCounters.Create(actors);
            var system = new ActorSystem(ActorSystemConfig.Setup());
            try
            {
                var dispatcher = new ThreadPoolDispatcher { Throughput = batch };
                var pids = new PID[actors];
                for (var i = 0; i < actors; i++)
                {
                    var slot = PaddedCounters.SlotOf(i);
                    pids[i] = system.Root.Spawn(Props.FromProducer(() => new Actor(counters, slot)).WithDispatcher(dispatcher));
                }
                // Each peer is told before any ping can reach it (one sender's messages keep their order).
                for (var i = 0; i < actors; i++) system.Root.Send(pids[i], new Peer(pids[i ^ 1]));
                for (var p = 0; p < pairs; p++)
                {
                    for (var m = 0; m < inFlight; m++) system.Root.Send(pids[2 * p], new Ping(m));
                }
                return new Run(system, counters);
            }
            catch
            {
                system.ShutdownAsync("start failed").Wait(StopPatience);
                throw;
            }
        }

        public long MessagesHandled => PaddedCounters.Sum(_counters);

        public async ValueTask DisposeAsync()
        {
            try { await _system.ShutdownAsync("pingpong run over").WaitAsync(StopPatience).ConfigureAwait(false); }
            catch (TimeoutException) { throw new InvalidOperationException($"the Proto.Actor system did not shut down within {StopPatience.TotalSeconds:0}s"); }
        }
    }
}
