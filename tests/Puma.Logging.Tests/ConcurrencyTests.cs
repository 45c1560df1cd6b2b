using Serilog.Events;

namespace Puma.Logging.Tests;

public sealed class ConcurrencyTests
{
    [Fact]
    public void Serializing_from_many_threads_at_once_keeps_every_event_intact()
    {
        var failures = 0;
        Parallel.For(0, 2000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var original = PropertyRoundTripTests.Event(
                "n {I} {S}",
                ("I", new ScalarValue(i)),
                ("S", new SequenceValue(Enumerable.Range(0, i % 7).Select(k => new ScalarValue(new string('x', k * i % 50))))));
            var received = LogAssert.ThroughJson(original);
            if (received.RenderMessage() != original.RenderMessage())
                Interlocked.Increment(ref failures);
        });

        Assert.Equal(0, failures);
    }
}
