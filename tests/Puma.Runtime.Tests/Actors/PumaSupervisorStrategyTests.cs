using Akka.Actor;
using Akka.TestKit.Xunit2;
using Puma.Runtime.Actors;

namespace Puma.Runtime.Tests.Actors;

/// <summary>
/// Puma's failure policies as an Akka supervisor strategy, under a plain parent actor with two children: the sliding
/// restart window (not Akka's tumbling one), StopAll asking the siblings to stop, Continue stopping only the child.
/// </summary>
public sealed class PumaSupervisorStrategyTests : TestKit
{
    private readonly ManualClock _clock = new();

    [Fact]
    public void TheRestartWindowSlides()
    {
        var policy = FailurePolicy.Restart(2, TimeSpan.FromSeconds(1));
        var restarts = new Queue<DateTime>();
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        var verdicts = new[] { 0, 600, 1200, 1300 }.Select(ms => PumaSupervisorStrategy.Decide(policy, restarts, start.AddMilliseconds(ms))).ToArray();

        Assert.Equal([FailureVerdict.Restart, FailureVerdict.Restart, FailureVerdict.Restart, FailureVerdict.StopAll], verdicts);
    }

    [Fact]
    public void StopAllAndContinueNeverRestart()
    {
        var now = DateTime.UtcNow;
        Assert.Equal(FailureVerdict.StopAll, PumaSupervisorStrategy.Decide(FailurePolicy.StopAll, new Queue<DateTime>(), now));
        Assert.Equal(FailureVerdict.StopOne, PumaSupervisorStrategy.Decide(FailurePolicy.Continue, new Queue<DateTime>(), now));
    }

    [Fact]
    public void FailuresAt0_600_1200_1300MsRestartThreeTimesThenStopAll()
    {
        var parent = StartParent(FailurePolicy.Restart(2, TimeSpan.FromSeconds(1)));
        ExpectStarted("a", "b");

        foreach (var ms in new[] { 0, 600, 1200 })
        {
            _clock.Now = ManualClock.Start.AddMilliseconds(ms);
            parent.Tell(("a", "fail"));
            ExpectMsg(FailureVerdict.Restart);
            ExpectMsg("a started");
        }

        _clock.Now = ManualClock.Start.AddMilliseconds(1300);
        var a = ChildOf(parent, "a");
        Watch(a);
        parent.Tell(("a", "fail"));
        ExpectMsg(FailureVerdict.StopAll);
        ExpectStopAllEffects(a);
    }

    [Fact]
    public void StopAllStopsTheChildAndAsksItsSiblingsToStop()
    {
        var parent = StartParent(FailurePolicy.StopAll);
        ExpectStarted("a", "b");
        var a = ChildOf(parent, "a");
        var b = ChildOf(parent, "b");
        Watch(a);
        Watch(b);

        parent.Tell(("a", "fail"));

        ExpectMsg(FailureVerdict.StopAll);
        ExpectStopAllEffects(a);
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void ContinueStopsOnlyTheFailedChild()
    {
        var parent = StartParent(FailurePolicy.Continue);
        ExpectStarted("a", "b");
        var a = ChildOf(parent, "a");
        Watch(a);

        parent.Tell(("a", "fail"));

        ExpectMsg(FailureVerdict.StopOne);
        ExpectTerminated(a);
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        parent.Tell(("b", "ping"));
        ExpectMsg("b got ping");
    }

    private IActorRef StartParent(FailurePolicy policy)
    {
        var probe = TestActor;
        var clock = _clock;
        return Sys.ActorOf(Props.Create(() => new Parent(policy, probe, clock)));
    }

    private void ExpectStarted(params string[] names)
    {
        var started = names.Select(_ => ExpectMsg<string>()).Order().ToArray();
        Assert.Equal(names.Select(n => $"{n} started").Order(), started);
    }

    /// <summary>The failed child terminated and its sibling asked to stop, in either order.</summary>
    private void ExpectStopAllEffects(IActorRef failed)
    {
        var effects = new[] { ExpectMsg<object>(), ExpectMsg<object>() };
        Assert.Contains(effects, m => m is Terminated t && t.ActorRef.Equals(failed));
        Assert.Contains("b asked to stop", effects);
    }

    private IActorRef ChildOf(IActorRef parent, string name) =>
        Sys.ActorSelection(parent.Path / name).ResolveOne(TimeSpan.FromSeconds(5)).Result;

    private sealed class ManualClock : TimeProvider
    {
        public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public DateTimeOffset Now { get; set; } = Start;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private sealed class Parent : UntypedActor
    {
        private readonly IActorRef _probe;
        private readonly SupervisorStrategy _strategy;

        public Parent(FailurePolicy policy, IActorRef probe, TimeProvider clock)
        {
            _probe = probe;
            _strategy = new PumaSupervisorStrategy((_, _) => policy, (_, _, verdict, _) => probe.Tell(verdict), clock);
        }

        protected override SupervisorStrategy SupervisorStrategy() => _strategy;

        protected override void PreStart()
        {
            var probe = _probe;
            Context.ActorOf(Props.Create(() => new Child(probe)), "a");
            Context.ActorOf(Props.Create(() => new Child(probe)), "b");
        }

        protected override void OnReceive(object message)
        {
            if (message is (string child, string text))
                Context.Child(child).Tell(text);
        }
    }

    private sealed class Child(IActorRef probe) : UntypedActor
    {
        protected override void PreStart() => probe.Tell($"{Self.Path.Name} started");

        protected override void OnReceive(object message)
        {
            switch (message)
            {
                case "fail":
                    throw new InvalidOperationException("failed on purpose");
                case StopRun:
                    probe.Tell($"{Self.Path.Name} asked to stop");
                    break;
                case string text:
                    probe.Tell($"{Self.Path.Name} got {text}");
                    break;
            }
        }
    }
}
