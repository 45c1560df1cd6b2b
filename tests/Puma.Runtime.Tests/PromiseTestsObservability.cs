using Puma.Runnables;
using Puma.Runtime.Tests.Runnables;
using Serilog;
using Serilog.Events;
using static Puma.Runtime.Tests.PromiseTestSupport;
using static Puma.Runtime.Tests.TestSupport;

namespace Puma.Runtime.Tests;

/// <summary>README, "Logs" and "Concepts": what a status report and a runnable's logger carry, in any placement.</summary>
public class PromiseTestsObservability
{
    /// <summary>A status report names the process the runnable runs in: this one for a thread, its child for a process.</summary>
    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task AStatusReportCarriesThePidOfItsRunnable(Placement placement)
    {
        await using var runtime = NewRuntime();
        runtime.Add(new Ticker { Name = "ticker", IntervalMs = 20 }, placement);
        await runtime.StartAsync();
        var pid = await runtime.AskAsync<int>("ticker", new GetPid());
        AssertRunsIn(placement, pid);

        using var cts = new CancellationTokenSource(Patience);
        for (var i = 0; i < 3; i++)
        {
            var report = await runtime.Status.ReadAsync(cts.Token);
            Assert.Equal("ticker", report.Runnable);
            Assert.Equal(pid, report.ProcessId);
        }
        await runtime.StopAsync();
    }

    public static TheoryData<Placement, LogEventLevel> PlacementsAndLevels => new()
    {
        { Placement.Thread, LogEventLevel.Information },
        { Placement.Process, LogEventLevel.Information },
        { Placement.Thread, LogEventLevel.Error },
        { Placement.Process, LogEventLevel.Error },
    };

    /// <summary>
    /// The parent's minimum level is applied where the runnable logs (in a child: in the child, so events
    /// below it are not even shipped): its logger is enabled exactly at the parent's level and above.
    /// </summary>
    [Theory]
    [MemberData(nameof(PlacementsAndLevels))]
    public async Task ARunnablesLoggerHasTheParentsMinimumLevel(Placement placement, LogEventLevel parentLevel)
    {
        var logger = new LoggerConfiguration().MinimumLevel.Is(parentLevel).WriteTo.Sink(new CollectingSink()).CreateLogger();
        await using var runtime = NewRuntime(logger: logger);
        runtime.Add(new LevelProbe { Name = "probe" }, placement);
        await runtime.StartAsync();
        AssertRunsIn(placement, await runtime.AskAsync<int>("probe", new GetPid()));

        foreach (var level in Enum.GetValues<LogEventLevel>())
        {
            Assert.True(level >= parentLevel == await runtime.AskAsync<bool>("probe", new IsLogEnabled(level)),
                $"level {level} with the parent at {parentLevel}");
        }

        await runtime.StopAsync();
    }
}
