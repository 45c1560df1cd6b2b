using Serilog.Events;
using Serilog.Parsing;

namespace Puma.Logging.Tests;

public sealed class ReplayerTests
{
    private static readonly DateTimeOffset Ts = new DateTimeOffset(2026, 11, 22, 1, 2, 3, TimeSpan.FromHours(-7)).AddTicks(4567);

    [Fact]
    public void Adds_runnable_and_process_id_when_absent_and_keeps_timestamp_level_template()
    {
        var (logger, sink) = CollectingSink.CreateLogger();
        var portable = PortableLogEvent.FromLogEvent(Event(LogEventLevel.Debug, ("Count", new ScalarValue(3))));

        new LogEventReplayer(logger, "scale", 4242).Replay(portable);

        var written = sink.Single();
        Assert.Equal(Ts, written.Timestamp);
        Assert.Equal(Ts.Offset, written.Timestamp.Offset);
        Assert.Equal(LogEventLevel.Debug, written.Level);
        Assert.Equal("Counted {Count}", written.MessageTemplate.Text);
        Assert.Equal("Counted 3", written.RenderMessage());
        Assert.Equal("scale", ((ScalarValue)written.Properties[PumaLogProperties.Runnable]).Value);
        Assert.Equal(4242, ((ScalarValue)written.Properties[PumaLogProperties.ProcessId]).Value);
    }

    [Fact]
    public void Keeps_runnable_and_process_id_the_event_already_has()
    {
        var (logger, sink) = CollectingSink.CreateLogger();
        var portable = PortableLogEvent.FromLogEvent(Event(
            LogEventLevel.Warning,
            (PumaLogProperties.Runnable, new ScalarValue("grandchild")),
            (PumaLogProperties.ProcessId, new ScalarValue(77))));

        new LogEventReplayer(logger, "child", 4242).Replay(portable);

        var written = sink.Single();
        Assert.Equal("grandchild", ((ScalarValue)written.Properties[PumaLogProperties.Runnable]).Value);
        Assert.Equal(77, ((ScalarValue)written.Properties[PumaLogProperties.ProcessId]).Value);
    }

    [Fact]
    public void Events_below_the_parents_minimum_level_are_dropped()
    {
        var (logger, sink) = CollectingSink.CreateLogger(LogEventLevel.Warning);
        var replayer = new LogEventReplayer(logger, "r", 1);

        replayer.Replay(PortableLogEvent.FromLogEvent(Event(LogEventLevel.Information)));
        replayer.Replay(PortableLogEvent.FromLogEvent(Event(LogEventLevel.Error)));
        replayer.ReplayOutputLine("to stdout", ChildOutputStream.Stdout);
        replayer.ReplayOutputLine("to stderr", ChildOutputStream.Stderr);

        Assert.Equal(new[] { LogEventLevel.Error, LogEventLevel.Warning }, sink.Events.Select(e => e.Level));
    }

    [Fact]
    public void Parent_enrichers_do_not_override_the_childs_identity()
    {
        var sink = new CollectingSink();
        var logger = new Serilog.LoggerConfiguration()
            .Enrich.WithPumaProcessId(1)
            .Enrich.WithPumaRunnable("supervisor")
            .WriteTo.Sink(sink)
            .CreateLogger();

        new LogEventReplayer(logger, "child", 99).Replay(PortableLogEvent.FromLogEvent(Event(LogEventLevel.Information)));

        var written = sink.Single();
        Assert.Equal("child", ((ScalarValue)written.Properties[PumaLogProperties.Runnable]).Value);
        Assert.Equal(99, ((ScalarValue)written.Properties[PumaLogProperties.ProcessId]).Value);
    }

    [Fact]
    public void Replayed_output_lines_carry_runnable_pid_and_stream()
    {
        var (logger, sink) = CollectingSink.CreateLogger();

        new LogEventReplayer(logger, "noisy", 5).ReplayOutputLine("hello {not a hole}", ChildOutputStream.Stdout);

        var written = sink.Single();
        Assert.Equal("hello {not a hole}", written.RenderMessage());
        Assert.Equal("noisy", ((ScalarValue)written.Properties[PumaLogProperties.Runnable]).Value);
        Assert.Equal(5, ((ScalarValue)written.Properties[PumaLogProperties.ProcessId]).Value);
        Assert.Equal("stdout", ((ScalarValue)written.Properties[PumaLogProperties.Stream]).Value);
    }

    private static LogEvent Event(LogEventLevel level, params (string Name, LogEventPropertyValue Value)[] properties) =>
        new(Ts, level, null, new MessageTemplateParser().Parse("Counted {Count}"), properties.Select(p => new LogEventProperty(p.Name, p.Value)));
}
