using Serilog.Events;

namespace Puma.Logging.Tests;

public sealed class ChildOutputLogTests
{
    [Theory]
    [InlineData((int)ChildOutputStream.Stdout, LogEventLevel.Information, "stdout")]
    [InlineData((int)ChildOutputStream.Stderr, LogEventLevel.Warning, "stderr")]
    public void Line_becomes_event_of_the_runnable(int streamValue, LogEventLevel level, string streamName)
    {
        // ChildOutputStream is internal: a public test method takes its value as an int.
        var stream = (ChildOutputStream)streamValue;
        var ts = new DateTimeOffset(2026, 11, 22, 5, 0, 0, TimeSpan.Zero);

        var e = ChildOutputLog.ToLogEvent("50% done {0} \"x\"\r", stream, "worker", 99, ts);

        Assert.Equal(level, e.Level);
        Assert.Equal(ts, e.Timestamp);
        Assert.Equal("50% done {0} \"x\"", e.RenderMessage());
        Assert.Equal(ChildOutputLog.Template, e.MessageTemplate.Text);
        Assert.Equal("worker", ((ScalarValue)e.Properties[PumaLogProperties.Runnable]).Value);
        Assert.Equal(99, ((ScalarValue)e.Properties[PumaLogProperties.ProcessId]).Value);
        Assert.Equal(streamName, ((ScalarValue)e.Properties[PumaLogProperties.Stream]).Value);
        Assert.Equal("50% done {0} \"x\"", ((ScalarValue)e.Properties[PumaLogProperties.Line]).Value);
        Assert.Null(e.Exception);
        Assert.Equal(streamName, ChildOutputLog.NameOf(stream));
    }

    [Fact]
    public void Line_event_renders_verbatim_with_the_console_template()
    {
        var e = ChildOutputLog.ToLogEvent("a {b} c", ChildOutputStream.Stderr, "w", 7, new DateTimeOffset(2026, 1, 1, 10, 11, 12, 13, TimeSpan.Zero));
        var output = new StringWriter();

        new Serilog.Formatting.Display.MessageTemplateTextFormatter(PumaLogTemplates.Console).Format(e, output);

        Assert.Equal("[10:11:12.013 WRN] w                 7 a {b} c" + Environment.NewLine, output.ToString());
    }

    [Fact]
    public void Empty_line_is_allowed()
    {
        var e = ChildOutputLog.ToLogEvent(string.Empty, ChildOutputStream.Stdout, "w", 1);

        Assert.Equal(string.Empty, e.RenderMessage());
    }
}
