using Serilog.Events;

namespace Puma.Logging.Tests;

public sealed class EnrichmentTests
{
    [Fact]
    public void ForRunnable_adds_runnable_and_current_process_id()
    {
        var (logger, sink) = CollectingSink.CreateLogger();

        logger.ForRunnable("scale").Information("hi");

        var e = sink.Single();
        Assert.Equal("scale", ((ScalarValue)e.Properties[PumaLogProperties.Runnable]).Value);
        Assert.Equal(Environment.ProcessId, ((ScalarValue)e.Properties[PumaLogProperties.ProcessId]).Value);
    }

    [Fact]
    public void ForRunnable_uses_the_given_process_id()
    {
        var (logger, sink) = CollectingSink.CreateLogger();

        logger.ForRunnable("scale", 17).Information("hi");

        Assert.Equal(17, ((ScalarValue)sink.Single().Properties[PumaLogProperties.ProcessId]).Value);
    }

    [Fact]
    public void Enrichers_add_only_when_absent()
    {
        var (logger, sink) = CollectingSink.CreateLogger();

        logger.ForRunnable("scale", 17).Information("From {ProcessId} {Runnable}", 5, "explicit");

        var e = sink.Single();
        Assert.Equal(5, ((ScalarValue)e.Properties[PumaLogProperties.ProcessId]).Value);
        Assert.Equal("explicit", ((ScalarValue)e.Properties[PumaLogProperties.Runnable]).Value);
    }

    [Fact]
    public void Nested_ForRunnable_the_innermost_wins()
    {
        var (logger, sink) = CollectingSink.CreateLogger();

        logger.ForRunnable("outer", 1).ForRunnable("inner", 2).Information("hi");

        var e = sink.Single();
        Assert.Equal("inner", ((ScalarValue)e.Properties[PumaLogProperties.Runnable]).Value);
        Assert.Equal(2, ((ScalarValue)e.Properties[PumaLogProperties.ProcessId]).Value);
    }

    [Fact]
    public void Process_id_enricher_defaults_to_the_current_process()
    {
        Assert.Equal(Environment.ProcessId, new ProcessIdEnricher().ProcessId);
        Assert.Equal("r", new RunnableEnricher("r").RunnableName);
    }

    [Fact]
    public void Console_template_shows_time_level_runnable_and_pid()
    {
        var (logger, sink) = CollectingSink.CreateLogger();
        logger.ForRunnable("consumer", 123).Warning("Got {Value}", 4.5);
        var output = new StringWriter();

        new Serilog.Formatting.Display.MessageTemplateTextFormatter(PumaLogTemplates.Console).Format(sink.Single(), output);

        Assert.Matches(@"^\[\d\d:\d\d:\d\d\.\d{3} WRN\] consumer        123 Got 4\.5\r?\n$", output.ToString());
    }
}
