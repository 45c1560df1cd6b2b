using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Puma.Runnables;
using Puma.Runtime;

namespace Puma.Hosting.Tests;

public sealed class LifecycleTests
{
    [Theory]
    [InlineData(Placement.Thread)]
    [InlineData(Placement.Process)]
    public async Task The_host_starts_the_runtime_a_request_gets_its_reply_and_stopping_the_host_leaves_no_process_or_segment(Placement placement)
    {
        var shmBefore = ProcessProbe.ShmEntries();
        int pid;
        PumaRuntime runtime;
        PumaHostedRun run;
        using (var host = TestHosts.Build(puma => puma.Configure((runtime, _) =>
        {
            var numbers = runtime.CreateBuffer<int>("numbers", 16);
            runtime.Add(new Feeder { Name = "feeder", Output = numbers.Writer });
            runtime.Add(new Counter { Name = "answerer", Input = numbers.Reader }, placement);
        })))
        {
            runtime = host.Services.GetRequiredService<PumaRuntime>();
            run = host.Services.GetRequiredService<PumaHostedRun>();
            await host.StartAsync();
            Assert.True(runtime.IsStarted);

            pid = await runtime.AskAsync<int>("answerer", new GetPid());
            if (placement == Placement.Process)
            {
                Assert.Equal(runtime.GetRunnable("answerer").ProcessId, pid);
                Assert.NotEqual(Environment.ProcessId, pid);
                Assert.True(ProcessProbe.IsAlive(pid));
                if (OperatingSystem.IsLinux())
                    Assert.NotEmpty(ProcessProbe.OpenPumaSegments()); // "numbers" crosses processes: a ring
            }
            else
            {
                Assert.Equal(Environment.ProcessId, pid);
            }

            await runtime.SendAsync("feeder", new Feed(5));
            Assert.Equal(5, await PollAsync(() => runtime.AskAsync<int>("answerer", new GetCount()), 5));
            Assert.False(run.Outcome.IsCompleted);

            await host.StopAsync();
            Assert.Equal(new PumaRunOutcome(PumaRunEnd.StoppedWithHost, null), await run.Outcome.WaitAsync(TestHosts.Timeout));
            Assert.Equal(RunnableState.Stopped, runtime.GetRunnable("answerer").State);
        }

        if (placement == Placement.Process)
            Assert.False(ProcessProbe.IsAlive(pid), $"child {pid} outlived the host");
        Assert.Empty(ProcessProbe.OpenPumaSegments());
        Assert.Empty(ProcessProbe.ShmEntries().Except(shmBefore));
        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => runtime.AskAsync<int>("answerer", new GetPid()));
    }

    [Theory]
    [InlineData(Placement.Thread)]
    [InlineData(Placement.Process)]
    public async Task A_pipeline_that_ends_stops_the_host_with_exit_code_0(Placement placement)
    {
        using var exitCode = new ExitCodeScope();
        using var timeout = new CancellationTokenSource(TestHosts.Timeout);
        var host = TestHosts.Build(puma => puma.Configure((runtime, _) =>
            runtime.Add(new StatusReporter { Name = "reporter", Count = 3 }, placement)));
        var run = host.Services.GetRequiredService<PumaHostedRun>();

        await host.RunAsync(timeout.Token); // returns once the host has stopped (and is disposed)

        Assert.False(timeout.IsCancellationRequested, "the host did not stop by itself");
        var outcome = await run.Outcome;
        Assert.Equal(new PumaRunOutcome(PumaRunEnd.Completed, null), outcome);
        Assert.Equal(0, outcome.ExitCode);
        Assert.Equal(0, Environment.ExitCode);
    }

    [Fact]
    public async Task With_StopHostWhenDone_false_the_host_keeps_running_after_the_pipeline_ends()
    {
        using var host = TestHosts.Build(puma => puma
            .ConfigureOptions(o => o.StopHostWhenDone = false)
            .Configure((runtime, _) => runtime.Add(new StatusReporter { Name = "reporter", Count = 3 })));
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        await host.StartAsync();

        Assert.Equal(PumaRunEnd.Completed, (await host.OutcomeAsync()).End);
        await Task.Delay(300); // the service would have asked the host to stop by now
        Assert.False(lifetime.ApplicationStopping.IsCancellationRequested);

        await host.StopAsync();
    }

    [Fact]
    public async Task A_graph_that_is_not_valid_fails_the_host_start_and_the_outcome()
    {
        var host = TestHosts.Build(puma => puma.Configure((runtime, _) =>
        {
            var numbers = runtime.CreateBuffer<int>("numbers", 16);
            runtime.Add(new Feeder { Name = "feeder", Output = numbers.Writer }); // "numbers" has no reader
        }));
        try
        {
            var error = await Assert.ThrowsAsync<PumaValidationException>(() => host.StartAsync());
            Assert.Contains("numbers", error.Message);
            Assert.Same(error, await Assert.ThrowsAsync<PumaValidationException>(() => host.Services.GetRequiredService<PumaHostedRun>().Outcome));
        }
        finally
        {
            host.Dispose();
        }
    }

    [Fact]
    public async Task A_graph_callback_gets_the_hosts_services_and_callbacks_run_in_order()
    {
        var order = new List<string>();
        using var host = TestHosts.Build(
            puma => puma
                .Configure((runtime, services) =>
                {
                    order.Add(services.GetRequiredService<Marker>().Text);
                    runtime.Add(new PidAnswerer { Name = "first" });
                })
                .Configure((runtime, _) =>
                {
                    order.Add("second");
                    runtime.Add(new PidAnswerer { Name = "second" });
                }),
            services: s => s.AddSingleton(new Marker("first")));
        await host.StartAsync();
        Assert.Equal(["first", "second"], order);
        Assert.Equal(["first", "second"], host.Services.GetRequiredService<PumaRuntime>().RunnableNames);
        await host.StopAsync();
    }

    [Fact]
    public void AddPuma_twice_is_rejected()
    {
        var services = new ServiceCollection();
        services.AddPuma(_ => { });
        var error = Assert.Throws<InvalidOperationException>(() => services.AddPuma(_ => { }));
        Assert.Contains("AddPuma was already called", error.Message);
    }

    internal static async Task<T> PollAsync<T>(Func<Task<T>> read, T expected)
    {
        var until = DateTime.UtcNow + TestHosts.Timeout;
        while (true)
        {
            var value = await read();
            if (EqualityComparer<T>.Default.Equals(value, expected) || DateTime.UtcNow > until)
                return value;
            await Task.Delay(10);
        }
    }

    private sealed record Marker(string Text);
}
