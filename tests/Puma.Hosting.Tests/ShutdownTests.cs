using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Puma.Runnables;
using Puma.Runtime;

namespace Puma.Hosting.Tests;

public sealed class ShutdownTests
{
    [Fact]
    public async Task A_process_runnable_that_ignores_stop_is_killed_after_Puma_StopTimeout()
    {
        var (pid, state, elapsed) = await StopStuckHostAsync(new() { ["Puma:StopTimeout"] = "00:00:00.500" }, hostShutdown: TimeSpan.FromMinutes(5));

        Assert.Equal(RunnableState.Killed, state);
        Assert.False(ProcessProbe.IsAlive(pid), $"child {pid} outlived the host");
        Assert.True(elapsed < TimeSpan.FromMinutes(1), $"the stop took {elapsed}");
    }

    [Fact]
    public async Task The_hosts_shutdown_timeout_cuts_a_longer_Puma_StopTimeout_short()
    {
        var (pid, state, elapsed) = await StopStuckHostAsync(new() { ["Puma:StopTimeout"] = "00:05:00" }, hostShutdown: TimeSpan.FromSeconds(1));

        Assert.Equal(RunnableState.Killed, state);
        Assert.False(ProcessProbe.IsAlive(pid), $"child {pid} outlived the host");
        Assert.True(elapsed < TimeSpan.FromMinutes(1), $"the stop took {elapsed}: it waited for Puma:StopTimeout, not for the host");
    }

    [Theory]
    [InlineData(Placement.Thread)]
    [InlineData(Placement.Process)]
    public async Task After_a_failure_a_stuck_process_runnable_is_killed_and_gone_when_the_host_has_stopped(Placement placement)
    {
        using var exitCode = new ExitCodeScope();
        using var timeout = new CancellationTokenSource(TestHosts.Timeout);
        var host = TestHosts.Build(
            puma => puma.Configure((runtime, _) =>
            {
                runtime.Add(new Stuck { Name = "stuck" }, Placement.Process);
                runtime.Add(new CommandThrower { Name = "thrower" }, placement);
            }),
            new() { ["Puma:StopTimeout"] = "00:00:00.500" });
        var runtime = host.Services.GetRequiredService<PumaRuntime>();
        var run = host.Services.GetRequiredService<PumaHostedRun>();
        var running = host.RunAsync(timeout.Token);
        Assert.Equal("stuck", (await runtime.Status.ReadAsync(timeout.Token)).Value?.ToString());
        var pid = runtime.GetRunnable("stuck").ProcessId;

        await runtime.SendAsync("thrower", new Boom(), timeout.Token);
        await running;

        Assert.False(timeout.IsCancellationRequested, "the host did not stop by itself");
        var outcome = await run.Outcome;
        Assert.Equal(PumaRunEnd.Failed, outcome.End);
        Assert.Equal("boom on command", outcome.Failure!.InnerException!.Message);
        Assert.Equal(1, Environment.ExitCode);
        Assert.Equal(RunnableState.Killed, runtime.GetRunnable("stuck").State);
        Assert.False(ProcessProbe.IsAlive(pid), $"child {pid} outlived the host");
    }

    private static async Task<(int Pid, RunnableState State, TimeSpan Elapsed)> StopStuckHostAsync(Dictionary<string, string?> configuration, TimeSpan hostShutdown)
    {
        using var host = TestHosts.Build(
            puma => puma.Configure((runtime, _) => runtime.Add(new Stuck { Name = "stuck" }, Placement.Process)),
            configuration,
            services => services.Configure<HostOptions>(o => o.ShutdownTimeout = hostShutdown));
        var runtime = host.Services.GetRequiredService<PumaRuntime>();
        await host.StartAsync();
        using (var timeout = new CancellationTokenSource(TestHosts.Timeout))
            Assert.Equal("stuck", (await runtime.Status.ReadAsync(timeout.Token)).Value?.ToString());
        var pid = runtime.GetRunnable("stuck").ProcessId;
        Assert.True(ProcessProbe.IsAlive(pid));

        var stopwatch = Stopwatch.StartNew();
        await host.StopAsync();
        stopwatch.Stop();

        Assert.Equal(PumaRunEnd.StoppedWithHost, (await host.OutcomeAsync()).End);
        return (pid, runtime.GetRunnable("stuck").State, stopwatch.Elapsed);
    }
}
