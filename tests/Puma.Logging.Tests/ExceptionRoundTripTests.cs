using System.Globalization;
using System.Runtime.CompilerServices;
using Serilog.Events;
using Serilog.Parsing;

namespace Puma.Logging.Tests;

public sealed class ExceptionRoundTripTests
{
    [Fact]
    public void Exception_with_inner_chain_round_trips_through_json()
    {
        var original = Capture(() => OuterThrower());

        var received = RoundTrip(original);

        var remote = Assert.IsType<RemoteException>(received);
        Assert.Equal(typeof(InvalidOperationException).FullName, remote.RemoteType);
        Assert.Equal(original.Message, remote.Message);
        Assert.Equal(original.StackTrace, remote.StackTrace);
        Assert.Equal(original.HResult, remote.HResult);
        Assert.Equal(original.ToString(), remote.ToString());
        Assert.Contains(nameof(OuterThrower), remote.ToString());
        Assert.Contains(nameof(InnerThrower), remote.ToString());

        var inner = Assert.IsType<RemoteException>(remote.InnerException);
        Assert.Equal(typeof(FormatException).FullName, inner.RemoteType);
        Assert.Equal("inner ünïcode message", inner.Message);
        Assert.Equal(original.InnerException!.StackTrace, inner.StackTrace);
        Assert.Contains(nameof(InnerThrower), inner.StackTrace);
        Assert.Single(remote.RemoteInnerExceptions);
        Assert.Same(inner, remote.RemoteInnerExceptions[0]);

        var innermost = Assert.IsType<RemoteException>(inner.InnerException);
        Assert.Equal(typeof(ArgumentNullException).FullName, innermost.RemoteType);
        Assert.Null(innermost.StackTrace);
        Assert.Null(innermost.InnerException);
    }

    [Fact]
    public void Aggregate_keeps_every_inner_exception()
    {
        var original = new AggregateException("many", Capture(() => InnerThrower()), new TimeoutException("slow"));

        var remote = Assert.IsType<RemoteException>(RoundTrip(original));

        Assert.Equal(typeof(AggregateException).FullName, remote.RemoteType);
        Assert.Equal(2, remote.RemoteInnerExceptions.Count);
        Assert.Equal(typeof(FormatException).FullName, remote.RemoteInnerExceptions[0].RemoteType);
        Assert.Equal("slow", remote.RemoteInnerExceptions[1].Message);
        Assert.Equal(original.ToString(), remote.ToString());
    }

    [Fact]
    public void Never_thrown_exception_has_no_stack()
    {
        var remote = Assert.IsType<RemoteException>(RoundTrip(new InvalidOperationException("not thrown")));

        Assert.Null(remote.StackTrace);
        Assert.Equal("System.InvalidOperationException: not thrown", remote.ToString());
    }

    [Fact]
    public void Relayed_remote_exception_keeps_the_original_type_and_text()
    {
        var original = Capture(() => OuterThrower());

        var twice = RoundTrip(RoundTrip(original));

        var remote = Assert.IsType<RemoteException>(twice);
        Assert.Equal(typeof(InvalidOperationException).FullName, remote.RemoteType);
        Assert.Equal(original.ToString(), remote.ToString());
        Assert.Equal(original.StackTrace, remote.StackTrace);
    }

    [Fact]
    public void Portable_exception_composes_text_when_none_is_given()
    {
        var inner = new PortableException("Inner.Type", "inner", null, null, 0, null);
        var outer = new PortableException("Outer.Type", "outer", "   at Somewhere()", null, 5, new[] { inner });

        var text = outer.ToException().ToString();

        Assert.StartsWith("Outer.Type: outer", text);
        Assert.Contains(" ---> Inner.Type: inner", text);
        Assert.EndsWith("   at Somewhere()", text);
    }

    [Fact]
    public void Serilog_renders_the_remote_stack_in_the_parent()
    {
        var (logger, sink) = CollectingSink.CreateLogger();
        var original = Capture(() => OuterThrower());
        var childEvent = new LogEvent(DateTimeOffset.Now, LogEventLevel.Error, original, new MessageTemplateParser().Parse("boom"), Array.Empty<LogEventProperty>());

        var bytes = PortableLogEventJson.SerializeToUtf8Bytes(PortableLogEvent.FromLogEvent(childEvent));
        new LogEventReplayer(logger, "worker", 1234).Replay(PortableLogEventJson.Deserialize(bytes));

        var written = sink.Single();
        var text = new StringWriter(CultureInfo.InvariantCulture);
        new Serilog.Formatting.Display.MessageTemplateTextFormatter("{Message}{NewLine}{Exception}").Format(written, text);
        Assert.Contains(nameof(OuterThrower), text.ToString());
        Assert.Contains(nameof(InnerThrower), text.ToString());
        Assert.Contains("System.InvalidOperationException: outer", text.ToString());
    }

    private static Exception RoundTrip(Exception exception)
    {
        var logEvent = new LogEvent(DateTimeOffset.Now, LogEventLevel.Error, exception, new MessageTemplateParser().Parse("failed"), Array.Empty<LogEventProperty>());
        var bytes = PortableLogEventJson.SerializeToUtf8Bytes(PortableLogEvent.FromLogEvent(logEvent));
        return PortableLogEventJson.Deserialize(bytes).ToLogEvent().Exception!;
    }

    private static Exception Capture(Action action)
    {
        try
        {
            action();
        }
        catch (Exception ex)
        {
            return ex;
        }

        throw new InvalidOperationException("did not throw");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void OuterThrower()
    {
        try
        {
            InnerThrower();
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException("outer", ex);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void InnerThrower() =>
        throw new FormatException("inner ünïcode message", new ArgumentNullException("arg"));
}
