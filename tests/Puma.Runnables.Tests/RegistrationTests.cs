using System.Diagnostics;
using System.Threading.Channels;
using Puma.Runnables;
using Puma.Runnables.Loop;

namespace Puma.Runnables.Tests;

/// <summary>Registration mistakes and the messages they give, one per rule (mutation testing found them unchecked).</summary>
public class RegistrationTests
{
    private static readonly Channel<int> Input = Channel.CreateUnbounded<int>();

    public static TheoryData<string, Action<Handlers>> NullHandlers => new()
    {
        { "handler", on => on.Input(Input.Reader, (Func<int, CancellationToken, ValueTask>)null!) },
        { "handler", on => on.Input(Input.Reader, (Action<int>)null!) },
        { "handler", on => on.Input(Input.Reader, _ => { }).InputCompleted(Input.Reader, (Func<Exception?, CancellationToken, ValueTask>)null!) },
        { "handler", on => on.Input(Input.Reader, _ => { }).InputCompleted(Input.Reader, (Action<Exception?>)null!) },
        { "handler", on => on.Command((Func<string, CancellationToken, ValueTask>)null!) },
        { "handler", on => on.Command((Action<string>)null!) },
        { "handler", on => on.Request((Func<string, CancellationToken, ValueTask<int>>)null!) },
        { "handler", on => on.Request((Func<string, int>)null!) },
        { "handler", on => on.Tick(TimeSpan.FromSeconds(1), (Func<CancellationToken, ValueTask>)null!) },
        { "handler", on => on.Tick(TimeSpan.FromSeconds(1), (Action)null!) },
        { "step", on => on.Produce(null!) },
    };

    [Theory]
    [MemberData(nameof(NullHandlers))]
    public void ANullHandlerIsAnArgumentNullException(string parameter, Action<Handlers> register)
    {
        var error = Assert.Throws<ArgumentNullException>(() => register(new Handlers("r")));

        Assert.Equal(parameter, error.ParamName);
    }

    [Fact]
    public void ARegistrationMadeTwiceNamesTheRunnableAndTheType()
    {
        Assert.Equal("Runnable 'r' registered two handlers for command String.",
            Assert.Throws<InvalidOperationException>(() => new Handlers("r").Command<string>(_ => { }).Command<string>(_ => { })).Message);
        Assert.Equal("Runnable 'r' registered two handlers for request String.",
            Assert.Throws<InvalidOperationException>(() => new Handlers("r").Request<string, int>(_ => 1).Request<string, int>(_ => 2)).Message);
        Assert.Equal("Runnable 'r' registered two produce steps.",
            Assert.Throws<InvalidOperationException>(() => new Handlers("r").Produce(_ => new(false)).Produce(_ => new(false))).Message);
        Assert.Equal("Runnable 'r' registered a completion handler for a null reader before its input handler.",
            Assert.Throws<InvalidOperationException>(() => new Handlers("r").InputCompleted<int>(null!, _ => { })).Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void AnInputBatchBelowOneIsRejected(int maxBatch)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Handlers("r").Input(Input.Reader, _ => { }, maxBatch));

        Assert.Equal(("maxBatch", (object)maxBatch), (error.ParamName, error.ActualValue));
        Assert.StartsWith("Runnable 'r': an input's maxBatch must be at least 1.", error.Message);
    }

    [Fact]
    public void ATickBelowOneMillisecondIsRejected()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Handlers("r").Tick(TimeSpan.FromTicks(9_999), () => { }));

        Assert.Equal("interval", error.ParamName);
        Assert.StartsWith("Runnable 'r': a tick interval must be at least 1 ms.", error.Message);
        new Handlers("r").Tick(TimeSpan.FromMilliseconds(1), () => { }); // the limit itself is fine
    }

    [Fact]
    public void HandlersAreFoundForTheTypeItsBaseTypesAndItsInterfaces()
    {
        var on = new Handlers("r").Command<Exception>(_ => { }).Command<IFormattable>(_ => { });

        Assert.Same(Handlers.Lookup(on.Commands, typeof(Exception)), Handlers.Lookup(on.Commands, typeof(ArgumentException)));
        Assert.NotNull(Handlers.Lookup(on.Commands, typeof(int))); // int : IFormattable
        Assert.Null(Handlers.Lookup(on.Commands, typeof(string)));
    }

    [Fact]
    public void MessagesOfTheLoopsExceptionsNameTheRunnable()
    {
        Assert.Equal("Runnable 'r' has no handler for Foo; it handles: none.", new UnknownCommandException("r", "Foo", []).Message);
        Assert.Equal("Runnable 'r' has no handler for Foo; it handles: A, B.", new UnknownCommandException("r", "Foo", ["A", "B"]).Message);
        Assert.Equal(("r", "Foo"), (new UnknownCommandException("r", "Foo", []).RunnableName, new UnknownCommandException("r", "Foo", []).MessageType));
        Assert.Equal("Runnable 'r' is not running: it takes no more commands or requests.", RunnableNotRunningException.Ended("r").Message);
        Assert.Equal("Runnable 'r' ended before answering Foo.", RunnableNotRunningException.EndedBeforeAnswering("r", "Foo").Message);
    }

    private sealed class Named : Runnable
    {
        public RunnableContext PeekContext() => Context;

        public ChannelReader<int>? In { get; init; }

        public ChannelWriter<string>? Out { get; init; }

        public ChannelReader<int>? WriteOnly { set { } }

        public ChannelReader<int>? this[int i] => null; // an indexer of a channel type is not a port
    }

    [Fact]
    public void ARunnablesNameCannotBeEmptyAndItsContextExistsOnlyOnceItRuns()
    {
        Assert.Equal("Named", new Named().Name);
        Assert.Equal("Named 'x'", new Named { Name = "x" }.ToString());
        Assert.Equal("Name", Assert.Throws<ArgumentException>(() => new Named { Name = " " }).ParamName);
        Assert.Equal("Runnable 'x' has not been started: Context exists once the runtime runs it.",
            Assert.Throws<InvalidOperationException>(() => new Named { Name = "x" }.PeekContext()).Message);
    }

    [Fact]
    public void PortsAreTheReadableChannelEndPropertiesInDeclarationOrder()
    {
        var ports = RunnablePort.Discover(new Named());

        Assert.Equal([("In", true, typeof(int)), ("Out", false, typeof(string))], ports.Select(p => (p.Name, p.IsInput, p.ElementType)));
        Assert.False(RunnablePort.TryGetPortType(typeof(int), out var isInput, out var element));
        Assert.Equal((false, typeof(void)), (isInput, element));
        Assert.Throws<ArgumentNullException>(() => RunnablePort.Discover(null!));
    }

    [Fact]
    public void AStatusCannotBeNull()
    {
        var context = new RunnableContext("r", Placement.Thread, 0, CancellationToken.None, _ => { });

        Assert.Equal("status", Assert.Throws<ArgumentNullException>(() => context.ReportStatus(null!)).ParamName);
    }

    [Fact]
    public void ATickIsDueOneIntervalAfterItsCreationAndSkipsMissedPeriods()
    {
        var interval = TimeSpan.FromSeconds(10);
        var period = (long)(interval.TotalSeconds * Stopwatch.Frequency);
        var before = Stopwatch.GetTimestamp();
        var tick = new TickSource(interval, _ => default);
        var after = Stopwatch.GetTimestamp();

        Assert.InRange(tick.NextDue, before + period, after + period);
        var due = tick.NextDue;
        Assert.False(tick.IsDue(due - 1));
        Assert.True(tick.IsDue(due));

        tick.Advance(due);               // on time: the next period follows the last one
        Assert.Equal(due + period, tick.NextDue);
        var late = tick.NextDue + 5 * period;
        tick.Advance(late);              // five periods late: one tick, then a period from now (no burst)
        Assert.Equal(late + period, tick.NextDue);
        var exact = tick.NextDue;
        tick.Advance(exact - period);    // advanced a period early: next = due + period
        Assert.Equal(exact + period, tick.NextDue);
    }
}
