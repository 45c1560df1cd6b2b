using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Puma.Runnables;
using Puma.Runtime;
using Serilog;
using Serilog.Events;

namespace Puma.Hosting.Tests;

public sealed class LoggingTests
{
    [Theory]
    [InlineData(Placement.Thread)]
    [InlineData(Placement.Process)]
    public async Task Runnable_events_go_to_the_Serilog_logger_registered_in_the_host(Placement placement)
    {
        var sink = new CollectingSink();
        await using var logger = new LoggerConfiguration().MinimumLevel.Debug().WriteTo.Sink(sink).CreateLogger();
        using var host = TestHosts.Build(
            puma => puma.Configure((runtime, _) => runtime.Add(new PidAnswerer { Name = "answerer" }, placement)),
            services: s => s.AddSerilog(logger)); // Serilog.Extensions.Hosting registers it as Serilog.ILogger
        Assert.NotNull(host.Services.GetRequiredService<PumaOptions>().Logger);
        var runtime = host.Services.GetRequiredService<PumaRuntime>();
        await host.StartAsync();

        Assert.Equal("hello 7", await runtime.AskAsync<string>("answerer", new Say("hello 7")));
        var said = await sink.WaitForAsync("Saying \"hello 7\"");

        Assert.NotNull(said);
        Assert.Equal(LogEventLevel.Information, said.Level);
        Assert.Equal("\"answerer\"", said.Properties["Runnable"].ToString());
        Assert.Equal(runtime.GetRunnable("answerer").ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), said.Properties["ProcessId"].ToString());
        await host.StopAsync();
    }

    [Fact]
    public async Task A_failure_is_logged_through_the_hosts_logging_with_the_exit_code()
    {
        using var exitCode = new ExitCodeScope();
        var sink = new CollectingSink();
        await using var logger = new LoggerConfiguration().WriteTo.Sink(sink).CreateLogger();
        var host = TestHosts.Build(
            puma => puma.Configure((runtime, _) => runtime.Add(new Thrower { Name = "thrower" })),
            services: s => s.AddSerilog(logger));

        using var timeout = new CancellationTokenSource(TestHosts.Timeout);
        await host.RunAsync(timeout.Token);

        var failure = Assert.Single(sink.Events, e => e.MessageTemplate.Text.StartsWith("The Puma runtime failed", StringComparison.Ordinal));
        Assert.Equal(LogEventLevel.Error, failure.Level);
        Assert.Equal(
            $"The Puma runtime failed, the host stops with exit code 1: \"Runnable 'thrower' (pid {Environment.ProcessId}, Thread) failed: System.InvalidOperationException: boom from thrower\"",
            failure.RenderMessage());
    }
}
