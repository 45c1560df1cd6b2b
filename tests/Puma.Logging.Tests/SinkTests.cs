using Serilog;
using Serilog.Events;

namespace Puma.Logging.Tests;

public sealed class SinkTests
{
    [Fact]
    public void Sink_hands_each_converted_event_to_the_delegate_synchronously()
    {
        var received = new List<PortableLogEvent>();
        using var logger = new LoggerConfiguration()
            .MinimumLevel.Verbose()
            .WriteTo.PortableEvents(received.Add)
            .CreateLogger();

        logger.Verbose("first {N}", 1);
        Assert.Single(received);
        logger.Error(new InvalidOperationException("bad"), "second {@S}", new { A = 1 });

        Assert.Equal(2, received.Count);
        Assert.Equal(LogEventLevel.Verbose, received[0].Level);
        Assert.Equal("first {N}", received[0].MessageTemplate);
        Assert.Equal(1, ((ScalarValue)received[0].Properties["N"]).Value);
        Assert.Equal(LogEventLevel.Error, received[1].Level);
        Assert.Equal(typeof(InvalidOperationException).FullName, received[1].Exception!.Type);
        Assert.IsType<StructureValue>(received[1].Properties["S"]);
    }

    [Fact]
    public void Restricted_minimum_level_filters_before_conversion()
    {
        var received = new List<PortableLogEvent>();
        using var logger = new LoggerConfiguration()
            .MinimumLevel.Verbose()
            .WriteTo.PortableEvents(received.Add, LogEventLevel.Warning)
            .CreateLogger();

        logger.Information("dropped");
        logger.Warning("kept");

        Assert.Equal("kept", Assert.Single(received).MessageTemplate);
    }

    [Fact]
    public void Child_sink_to_parent_replayer_end_to_end_through_json()
    {
        var (parent, sink) = CollectingSink.CreateLogger();
        var replayer = new LogEventReplayer(parent, "producer", 321);
        using var child = new LoggerConfiguration()
            .MinimumLevel.Verbose()
            .WriteTo.PortableEvents(e => replayer.Replay(PortableLogEventJson.Deserialize(PortableLogEventJson.SerializeToUtf8Bytes(e))))
            .CreateLogger();

        child.Information("Produced {Count} items in {Elapsed}", 10, TimeSpan.FromMilliseconds(12.5));

        var written = sink.Single();
        Assert.Equal("Produced 10 items in 00:00:00.0125000", written.RenderMessage());
        Assert.Equal("producer", ((ScalarValue)written.Properties[PumaLogProperties.Runnable]).Value);
        Assert.Equal(321, ((ScalarValue)written.Properties[PumaLogProperties.ProcessId]).Value);
    }

    [Fact]
    public void Null_delegate_is_rejected()
    {
        Assert.Throws<ArgumentNullException>(() => new PortableLogEventSink(null!));
    }
}
