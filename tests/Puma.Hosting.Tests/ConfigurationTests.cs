using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Puma.Runnables;
using Puma.Runtime;

namespace Puma.Hosting.Tests;

public sealed class ConfigurationTests
{
    [Fact]
    public void Values_of_the_Puma_section_reach_the_runtime_options()
    {
        using var host = TestHosts.Build(_ => { }, new()
        {
            ["Puma:StopTimeout"] = "00:00:02.500",
            ["Puma:StatusCapacity"] = "3",
            ["Puma:FailurePolicy"] = "Restart:2:00:01:00",
            ["Puma:StopHostWhenDone"] = "false",
        });

        var options = host.Services.GetRequiredService<PumaOptions>();
        Assert.Equal(TimeSpan.FromMilliseconds(2500), options.StopTimeout);
        Assert.Equal(3, options.StatusCapacity);
        var restart = Assert.IsType<RestartPolicy>(options.FailurePolicy);
        Assert.Equal((2, TimeSpan.FromMinutes(1)), (restart.MaxRestarts, restart.Window));
        Assert.False(host.Services.GetRequiredService<IOptions<PumaHostingOptions>>().Value.StopHostWhenDone);
    }

    [Fact]
    public void Without_a_Puma_section_the_runtime_gets_the_defaults()
    {
        using var host = TestHosts.Build(_ => { });

        var options = host.Services.GetRequiredService<PumaOptions>();
        Assert.Equal(TimeSpan.FromSeconds(5), options.StopTimeout);
        Assert.Equal(4096, options.StatusCapacity);
        Assert.Same(FailurePolicy.StopAll, options.FailurePolicy);
        Assert.Null(options.Logger); // no Serilog logger in the host: the runtime uses Log.Logger
        Assert.True(host.Services.GetRequiredService<IOptions<PumaHostingOptions>>().Value.StopHostWhenDone);
    }

    [Fact]
    public void Options_set_in_code_are_defaults_that_the_configuration_overrides()
    {
        using var host = TestHosts.Build(
            puma => puma.ConfigureOptions(o =>
            {
                o.StatusCapacity = 7;
                o.StopTimeout = TimeSpan.FromSeconds(1);
            }),
            new() { ["Puma:StatusCapacity"] = "3" });

        var options = host.Services.GetRequiredService<PumaOptions>();
        Assert.Equal(3, options.StatusCapacity);
        Assert.Equal(TimeSpan.FromSeconds(1), options.StopTimeout);
    }

    [Fact]
    public void The_overload_with_a_section_binds_that_section()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Puma:StatusCapacity"] = "3",
            ["Pipelines:Main:StatusCapacity"] = "11",
            ["Pipelines:Main:FailurePolicy"] = "Continue",
        });
        builder.Services.AddPuma(builder.Configuration.GetSection("Pipelines:Main"), _ => { });
        using var host = builder.Build();

        var options = host.Services.GetRequiredService<PumaOptions>();
        Assert.Equal(11, options.StatusCapacity);
        Assert.Same(FailurePolicy.Continue, options.FailurePolicy);
    }

    [Theory]
    [InlineData("StopAll", "StopAll")]
    [InlineData(" stopall ", "StopAll")]
    [InlineData("CONTINUE", "Continue")]
    [InlineData("Restart:3:00:00:10", "Restart(3 within 00:00:10)")]
    [InlineData("restart:1:1.00:00:00", "Restart(1 within 1.00:00:00)")]
    public void Failure_policies_are_read_from_text(string text, string expected)
    {
        using var host = TestHosts.Build(_ => { }, new() { ["Puma:FailurePolicy"] = text });

        Assert.Equal(expected, host.Services.GetRequiredService<PumaOptions>().FailurePolicy.ToString());
    }

    [Theory]
    [InlineData("Puma:FailurePolicy", "Explode",
        "Puma:FailurePolicy is 'Explode': it is not a failure policy; use StopAll, Continue or Restart:<maxRestarts>:<window> (for example Restart:3:00:00:10, at most 3 restarts within any 10 s).")]
    [InlineData("Puma:FailurePolicy", "Restart",
        "Puma:FailurePolicy is 'Restart': it is not a failure policy;")]
    [InlineData("Puma:FailurePolicy", "Restart:3",
        "Puma:FailurePolicy is 'Restart:3': a restart policy needs a count and a window;")]
    [InlineData("Puma:FailurePolicy", "Restart:0:00:00:10",
        "Puma:FailurePolicy is 'Restart:0:00:00:10': the restart count '0' is not a whole number of at least 1;")]
    [InlineData("Puma:FailurePolicy", "Restart:3:soon",
        "Puma:FailurePolicy is 'Restart:3:soon': the restart window 'soon' is not a time span longer than zero;")]
    [InlineData("Puma:FailurePolicy", "Restart:3:00:00:00",
        "Puma:FailurePolicy is 'Restart:3:00:00:00': the restart window '00:00:00' is not a time span longer than zero;")]
    [InlineData("Puma:StatusCapacity", "0", "Puma:StatusCapacity is 0: it must be at least 1.")]
    [InlineData("Puma:StopTimeout", "-00:00:01", "Puma:StopTimeout is -00:00:01: it cannot be negative.")]
    public async Task A_value_out_of_range_fails_the_host_start_naming_the_key_and_the_value(string key, string value, string expected)
    {
        using var host = TestHosts.Build(_ => { }, new() { [key] = value });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("Puma:StopTimeout", "soon", "'soon'")]
    [InlineData("Puma:StatusCapacity", "many", "'many'")]
    [InlineData("Puma:StopHostWhenDone", "maybe", "'maybe'")]
    [InlineData("Puma:StopTimout", "00:00:01", "'StopTimout'")]
    public async Task A_value_that_does_not_convert_or_an_unknown_key_fails_the_host_start_naming_it(string key, string value, string expected)
    {
        using var host = TestHosts.Build(_ => { }, new() { [key] = value });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());

        Assert.Contains(expected, error.Message);
        Assert.Throws<InvalidOperationException>(() => host.Services.GetRequiredService<PumaRuntime>()); // no runtime from bad options
    }

    [Theory]
    [InlineData(Placement.Thread)]
    [InlineData(Placement.Process)]
    public async Task The_status_capacity_from_configuration_bounds_the_status_stream(Placement placement)
    {
        using var host = TestHosts.Build(
            puma => puma.Configure((runtime, _) => runtime.Add(new StatusReporter { Name = "reporter", Count = 10 }, placement)),
            new() { ["Puma:StatusCapacity"] = "3", ["Puma:StopHostWhenDone"] = "false" });
        var runtime = host.Services.GetRequiredService<PumaRuntime>();
        await host.StartAsync();

        Assert.Equal(PumaRunEnd.Completed, (await host.OutcomeAsync()).End);
        var values = new List<int>();
        await foreach (var report in runtime.Status.ReadAllAsync())
            values.Add(Convert.ToInt32(report.Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal([8, 9, 10], values); // the oldest were dropped

        await host.StopAsync();
    }

    [Theory]
    [InlineData(Placement.Thread)]
    [InlineData(Placement.Process)]
    public async Task The_Continue_policy_from_configuration_keeps_the_others_running(Placement placement)
    {
        using var exitCode = new ExitCodeScope();
        using var host = TestHosts.Build(
            puma => puma.Configure((runtime, _) =>
            {
                runtime.Add(new PidAnswerer { Name = "answerer" }, placement);
                runtime.Add(new Thrower { Name = "thrower" }, placement);
            }),
            new() { ["Puma:FailurePolicy"] = "continue" });
        var runtime = host.Services.GetRequiredService<PumaRuntime>();
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        await host.StartAsync();

        Assert.Equal(RunnableState.Failed, await LifecycleTests.PollAsync(() => Task.FromResult(runtime.GetRunnable("thrower").State), RunnableState.Failed));
        Assert.Equal(runtime.GetRunnable("answerer").ProcessId, await runtime.AskAsync<int>("answerer", new GetPid()));
        Assert.False(lifetime.ApplicationStopping.IsCancellationRequested);

        await host.StopAsync();
        var outcome = await host.OutcomeAsync(); // WaitAsync throws the failure at the end: exit code 1
        Assert.Equal(PumaRunEnd.Failed, outcome.End);
        Assert.Equal("thrower", Assert.IsType<RunnableFailedException>(outcome.Failure).RunnableName);
        Assert.Equal(1, Environment.ExitCode);
    }
}
