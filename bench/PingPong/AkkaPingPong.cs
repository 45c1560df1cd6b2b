using Akka.Actor;
using Akka.Configuration;

namespace Puma.Bench.PingPong;

/// <summary>
/// Akka.NET 1.5 actors, as Akka.NET's own PingPong benchmark runs them: each actor is an
/// <see cref="UntypedActor"/> that tells every message it receives to its peer, all on the default
/// dispatcher whose <c>throughput</c> (messages an actor handles per turn before giving its
/// thread back) is the batch size, set in the HOCON the <see cref="ActorSystem"/> is created with.
/// Each in-flight message is one object created at start and passed back and forth (a forward
/// allocates nothing of ours). The messages start in the first actor's mailbox; dispose terminates
/// the system and waits for it.
/// </summary>
internal sealed class AkkaPingPong : IPingPongImplementation
{
    /// <inheritdoc/>
    public string Name => "akka";

    /// <inheritdoc/>
    public IPingPongRun Start(int pairs, int inFlight, int batch) => Run.Start(pairs, inFlight, batch);

    /// <summary>The HOCON of a run: quiet logging, and the default dispatcher's throughput = <paramref name="batch"/>.</summary>
    internal static Config ConfigFor(int batch) => ConfigurationFactory.ParseString($$"""
        akka {
          loglevel = ERROR
          stdout-loglevel = ERROR
          log-dead-letters = off
          log-dead-letters-during-shutdown = off
          actor.default-dispatcher.throughput = {{batch}}
        }
        """);

    /// <summary>A message in flight.</summary>
    private sealed class Ping(long value)
    {
        public long Value { get; } = value;
    }

    /// <summary>Tells an actor who its peer is (sent before any <see cref="Ping"/>).</summary>
    private sealed record Peer(IActorRef Ref);

    /// <summary>One actor: counts each ping and tells it to its peer.</summary>
    private sealed class Actor(long[] counters, int slot) : UntypedActor
    {
        private IActorRef _peer = ActorRefs.Nobody;

        protected override void OnReceive(object message)
        {
            switch (message)
            {
                case Ping:
                    counters[slot]++;
                    _peer.Tell(message, Self);
                    break;
                case Peer peer:
                    _peer = peer.Ref;
                    break;
                default:
                    Unhandled(message);
                    break;
            }
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
            var system = ActorSystem.Create("pingpong", ConfigFor(batch));
            try
            {
                var throughput = system.Dispatchers.DefaultGlobalDispatcher.Throughput;
                if (throughput != batch)
                    throw new InvalidOperationException($"the default dispatcher's throughput is {throughput}, the HOCON asked for {batch}");
                var refs = new IActorRef[actors];
                for (var i = 0; i < actors; i++)
                {
                    var slot = PaddedCounters.SlotOf(i);
                    refs[i] = system.ActorOf(Props.Create(() => new Actor(counters, slot)), $"actor{i}");
                }
                // Each peer is told before any ping can reach it (one sender's messages keep their order).
                for (var i = 0; i < actors; i++) refs[i].Tell(new Peer(refs[i ^ 1]), ActorRefs.NoSender);
                for (var p = 0; p < pairs; p++)
                {
                    for (var m = 0; m < inFlight; m++) refs[2 * p].Tell(new Ping(m), refs[2 * p + 1]);
                }
                return new Run(system, counters);
            }
            catch
            {
                system.Terminate().Wait(StopPatience);
                throw;
            }
        }

        public long MessagesHandled => PaddedCounters.Sum(_counters);

        public async ValueTask DisposeAsync()
        {
            try { await _system.Terminate().WaitAsync(StopPatience).ConfigureAwait(false); }
            catch (TimeoutException) { throw new InvalidOperationException($"the Akka.NET actor system did not terminate within {StopPatience.TotalSeconds:0}s"); }
        }
    }
}
