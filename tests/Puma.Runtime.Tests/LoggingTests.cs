using Puma.Runnables;
using Puma.Runtime.Tests.Runnables;
using Serilog.Events;
using static Puma.Runtime.Tests.TestSupport;

namespace Puma.Runtime.Tests;

public class LoggingTests
{
    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task RunnableEventsCarryRunnableAndProcessId(Placement placement)
    {
        var sink = new CollectingSink();
        await using var runtime = new PumaRuntime(new PumaOptions { Logger = sink.CreateLogger() });
        runtime.Add(new Ticker { Name = "talker", IntervalMs = 1000 }, placement);
        await runtime.StartAsync();
        var pid = await runtime.AskAsync<int>("talker", new GetPid());
        PromiseTestSupport.AssertRunsIn(placement, pid);
        await runtime.SendAsync("talker", new SetGain(4.5));

        LogEvent? found = null;
        await EventuallyAsync(() =>
        {
            found = sink.Events.FirstOrDefault(e => e.MessageTemplate.Text == "Gain set to {Gain}");
            return Task.FromResult(found is not null);
        }, "the runnable's log event");
        Assert.Equal("\"talker\"", found!.Properties["Runnable"].ToString());
        Assert.Equal("4.5", found.Properties["Gain"].ToString());
        Assert.Equal(pid.ToString(), found.Properties["ProcessId"].ToString());
        await runtime.StopAsync();
    }
}
