using Akka.Actor;
using Akka.Event;
using Puma.Runnables;
using Puma.Runtime.Tests.Runnables;
using Serilog.Events;
using static Puma.Runtime.Tests.TestSupport;

namespace Puma.Runtime.Tests.Actors;

/// <summary>The supervisor as actors, seen from Akka code: a runnable's actor takes commands by Tell and requests by Ask, status is on the EventStream, Akka's events reach the runtime's logger.</summary>
public sealed class RunnableActorTests
{
    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task AkkaCodeAsksARunnableThroughItsActor(Placement placement)
    {
        await using var runtime = NewRuntime();
        runtime.Add(new Ticker { Name = "t", IntervalMs = 1000 }, placement);
        await runtime.StartAsync();
        var actor = runtime.GetActorRef("t");

        Assert.Equal("t:x:0", await actor.Ask<string>(new GetState("x"), Patience));
        var pid = await actor.Ask<int>(new GetPid(), Patience);

        Assert.Equal(runtime.GetRunnable("t").ProcessId, pid);
        Assert.Equal(placement == Placement.Thread, pid == Environment.ProcessId);
        Assert.Equal("/user/" + actor.Path.Parent.Name + "/t", actor.Path.ToStringWithoutAddress());
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task AHandlersExceptionComesBackToAnAkkaAskerAsAFailure(Placement placement)
    {
        await using var runtime = NewRuntime();
        runtime.Add(new Ticker { Name = "t", IntervalMs = 1000 }, placement);
        await runtime.StartAsync();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => runtime.GetActorRef("t").Ask<string>(new GetState("fail"), Patience));

        AssertErrorType<ArgumentException>(error);
        Assert.Equal("bad question", error.Message);
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task AMessageWithoutAHandlerIsAnsweredWithUnknownCommand(Placement placement)
    {
        await using var runtime = NewRuntime();
        runtime.Add(new Ticker { Name = "t", IntervalMs = 1000 }, placement);
        await runtime.StartAsync();

        var error = await Assert.ThrowsAsync<UnknownCommandException>(() => runtime.GetActorRef("t").Ask<object>(new Frame(1, 2), Patience));

        Assert.Equal("t", error.RunnableName);
        Assert.Equal("Frame", error.MessageType);
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task ACommandToldByAkkaCodeReachesTheRunnable(Placement placement)
    {
        await using var runtime = NewRuntime();
        runtime.Add(new Ticker { Name = "t", IntervalMs = 1000 }, placement);
        await runtime.StartAsync();

        runtime.GetActorRef("t").Tell(new Boom("told by akka"));

        var error = await Assert.ThrowsAsync<RunnableFailedException>(() => runtime.WaitAsync().WaitAsync(Patience));
        Assert.Equal("t", error.RunnableName);
        AssertErrorType<InvalidOperationException>(error.InnerException);
        Assert.Equal("told by akka", error.InnerException!.Message);
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task StatusReportsArePublishedOnTheEventStream(Placement placement)
    {
        await using var runtime = NewRuntime();
        runtime.Add(new Sentinel { Name = "published-" + placement }, placement);
        var reports = System.Threading.Channels.Channel.CreateUnbounded<StatusReport>();
        var system = Puma.Runtime.Actors.PumaActorSystem.Shared;
        var listener = system.ActorOf(Props.Create(() => new Forwarder(reports.Writer)));
        system.EventStream.Subscribe(listener, typeof(StatusReport));
        try
        {
            await runtime.StartAsync();
            StatusReport report;
            do
                report = await ReadOneAsync(reports.Reader);
            while (report.Runnable != "published-" + placement);

            var pid = runtime.GetRunnable(report.Runnable).ProcessId;
            Assert.Equal(pid, report.ProcessId);
            Assert.Equal(pid, report.Value);
        }
        finally
        {
            system.EventStream.Unsubscribe(listener);
            system.Stop(listener);
        }
    }

    [Fact]
    public async Task NoAkkaAssemblyIsLoadedInAChild()
    {
        await using var runtime = NewRuntime();
        runtime.Add(new AssemblyProbe { Name = "probe" }, Placement.Process);
        await runtime.StartAsync();

        var loaded = await runtime.AskAsync<string[]>("probe", new GetLoadedAssemblies()).WaitAsync(Patience);

        Assert.Contains("Puma.Runtime", loaded);
        Assert.DoesNotContain(loaded, name => name.StartsWith("Akka", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task AkkasEventsAboutARunnableReachTheRuntimesLoggerTaggedWithIt(Placement placement)
    {
        (var runtime, var sink, var actor) = await EndedRunnableAsync(placement);
        await using var owned = runtime;

        actor.Tell(new SetGain(2), Akka.Actor.ActorRefs.NoSender); // the actor has stopped: a dead letter, which Akka logs (no sender: a continuation running inside an actor would make that actor the sender)

        await EventuallyAsync(() => Task.FromResult(sink.Events.Any(e => e.RenderMessage().Contains("SetGain { Gain = 2 }"))), "Akka's dead-letter event");
        var deadLetter = sink.Events.First(e => e.RenderMessage().Contains("SetGain { Gain = 2 }"));
        Assert.Equal(LogEventLevel.Information, deadLetter.Level);
        Assert.Equal("\"gone soon\"", deadLetter.Properties["Runnable"].ToString());
        Assert.Equal(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), deadLetter.Properties["ProcessId"].ToString());
        Assert.StartsWith($"Message [SetGain] to [{actor.Path}", deadLetter.RenderMessage());
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task ACommandThatReachesTheActorAfterTheRunnableEndedIsLoggedAsDroppedNotAsAnAkkaDeadLetter(Placement placement)
    {
        (var runtime, var sink, var actor) = await EndedRunnableAsync(placement);
        await using var owned = runtime;

        // What SendAsync tells the actor, arriving after the runnable ended (a send racing the runnable's end).
        actor.Tell(new Puma.Runtime.Actors.RunnableCommand(new SetGain(3), actor), Akka.Actor.ActorRefs.NoSender);
        actor.Tell(new SetGain(4), Akka.Actor.ActorRefs.NoSender); // after it, an Akka dead letter: once logged, the first was handled

        await EventuallyAsync(() => Task.FromResult(sink.Events.Any(e => e.RenderMessage().Contains("SetGain { Gain = 4 }"))), "Akka's dead-letter event");
        var dropped = Assert.Single(sink.Events, e => e.RenderMessage().Contains("was dropped"));
        Assert.Equal(LogEventLevel.Warning, dropped.Level);
        Assert.Equal("Command \"SetGain\" for runnable \"gone soon\" was dropped: \"Runnable 'gone soon' is not running: it takes no more commands or requests.\"", dropped.RenderMessage());
        Assert.Equal(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), dropped.Properties["ProcessId"].ToString());
        Assert.DoesNotContain(sink.Events, e => e.RenderMessage().Contains("RunnableCommand", StringComparison.Ordinal));
    }

    /// <summary>A runtime whose one runnable, "gone soon", has run and been stopped, its logger's sink, and the runnable's (stopped) actor.</summary>
    private static async Task<(PumaRuntime Runtime, CollectingSink Sink, IActorRef Actor)> EndedRunnableAsync(Placement placement)
    {
        var sink = new CollectingSink();
        var runtime = NewRuntime(logger: sink.CreateLogger());
        runtime.Add(new Ticker { Name = "gone soon", IntervalMs = 1000 }, placement);
        await runtime.StartAsync();
        var actor = runtime.GetActorRef("gone soon");
        await runtime.StopAsync();
        await runtime.WaitAsync().WaitAsync(Patience);
        return (runtime, sink, actor);
    }

    [Fact]
    public async Task AnAkkaWarningFromARunnablesActorReachesTheRuntimesLoggerTaggedWithIt()
    {
        var sink = new CollectingSink();
        await using var runtime = NewRuntime(logger: sink.CreateLogger());
        runtime.Add(new Ticker { Name = "t", IntervalMs = 1000 });
        await runtime.StartAsync();
        var actor = runtime.GetActorRef("t");

        // As Akka's own components log: an adapter whose source is the actor, with the system's (Serilog) formatter.
        Akka.Event.Logging.GetLogger(Puma.Runtime.Actors.PumaActorSystem.Shared, actor.Path.ToString()).Warning("careful: {Level}", 3);

        await EventuallyAsync(() => Task.FromResult(sink.Events.Any(e => e.Level == LogEventLevel.Warning && e.MessageTemplate.Text == "careful: {Level}")), "the warning");
        var warning = sink.Events.First(e => e.MessageTemplate.Text == "careful: {Level}");
        Assert.Equal("careful: 3", warning.RenderMessage());
        Assert.Equal("\"t\"", warning.Properties["Runnable"].ToString());
        Assert.Equal(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), warning.Properties["ProcessId"].ToString());
    }

    private sealed class Forwarder(System.Threading.Channels.ChannelWriter<StatusReport> writer) : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            if (message is StatusReport report)
                writer.TryWrite(report);
        }
    }
}
