using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Puma.Runnables;
using Puma.Runtime;

namespace Puma.Hosting.Tests;

public sealed class FailureTests
{
    [Theory]
    [InlineData(Placement.Thread)]
    [InlineData(Placement.Process)]
    public async Task A_StopAll_failure_stops_the_host_by_itself_with_exit_code_1(Placement placement)
    {
        using var exitCode = new ExitCodeScope();
        using var timeout = new CancellationTokenSource(TestHosts.Timeout);
        var host = TestHosts.Build(puma => puma.Configure((runtime, _) =>
        {
            runtime.Add(new PidAnswerer { Name = "bystander" }, Placement.Process); // runs until stopped
            runtime.Add(new Thrower { Name = "thrower" }, placement);
        }));
        var run = host.Services.GetRequiredService<PumaHostedRun>();
        var runtime = host.Services.GetRequiredService<PumaRuntime>();

        await host.RunAsync(timeout.Token);

        Assert.False(timeout.IsCancellationRequested, "the host did not stop by itself");
        var outcome = await run.Outcome;
        Assert.Equal(PumaRunEnd.Failed, outcome.End);
        Assert.Equal(1, outcome.ExitCode);
        Assert.Equal(1, Environment.ExitCode);
        var failure = Assert.IsType<RunnableFailedException>(outcome.Failure);
        Assert.Equal("thrower", failure.RunnableName);
        Assert.Equal(placement, failure.Placement);
        Assert.Equal("boom from thrower", failure.InnerException!.Message);

        var bystander = runtime.GetRunnable("bystander");
        Assert.Equal(RunnableState.Stopped, bystander.State);
        Assert.NotEqual(0, bystander.ProcessId);
        Assert.False(ProcessProbe.IsAlive(bystander.ProcessId), $"child {bystander.ProcessId} outlived the host");
        Assert.Empty(ProcessProbe.OpenPumaSegments());
    }

    [Fact]
    public async Task A_failure_stops_the_host_even_with_StopHostWhenDone_false()
    {
        using var exitCode = new ExitCodeScope();
        using var timeout = new CancellationTokenSource(TestHosts.Timeout);
        var host = TestHosts.Build(
            puma => puma.Configure((runtime, _) => runtime.Add(new Thrower { Name = "thrower" })),
            new() { ["Puma:StopHostWhenDone"] = "false" });
        var run = host.Services.GetRequiredService<PumaHostedRun>();

        await host.RunAsync(timeout.Token);

        Assert.False(timeout.IsCancellationRequested, "the host did not stop by itself");
        Assert.Equal(PumaRunEnd.Failed, (await run.Outcome).End);
        Assert.Equal(1, Environment.ExitCode);
    }
}
