// A Puma pipeline in a .NET Generic Host: numbers -> square (in a child process) -> total.
// Run: dotnet run --project samples/HostedPipeline -c Release
using HostedPipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Puma.Hosting;
using Puma.Logging;
using Puma.Runnables;
using Serilog;
using Serilog.Events;

// appsettings.json is read from beside the dll, whatever the working directory.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Services.AddSerilog(log => log
    .MinimumLevel.Information()
    .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
    .WriteTo.Console(outputTemplate: PumaLogTemplates.Console));
builder.Services.AddSingleton<PipelineTotals>();

var count = builder.Configuration.GetValue("Pipeline:Count", 100_000);
builder.Services.AddPuma(puma => puma.Configure((runtime, services) =>
{
    var numbers = runtime.CreateBuffer<int>("numbers", capacity: 1024);
    var squares = runtime.CreateBuffer<long>("squares", capacity: 1024);
    runtime.Add(new Numbers { Output = numbers.Writer, Count = count });
    runtime.Add(new Square { Input = numbers.Reader, Output = squares.Writer }, Placement.Process);
    runtime.Add(new Total { Input = squares.Reader, Totals = services.GetRequiredService<PipelineTotals>() });
}));

using var host = builder.Build();
var run = host.Services.GetRequiredService<PumaHostedRun>(); // resolved now: RunAsync disposes the host's services
var totals = host.Services.GetRequiredService<PipelineTotals>();
try
{
    await host.RunAsync(); // returns when the pipeline is done (Puma:StopHostWhenDone) or on Ctrl+C
}
catch (Exception e)
{
    Console.Error.WriteLine($"HostedPipeline could not run: {e.Message}");
    return 2;
}

var outcome = await run.Outcome;
if (outcome.End == PumaRunEnd.Completed)
    Console.WriteLine(totals);
return outcome.ExitCode;
