using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Puma.Hosting.Tests;

/// <summary>Hosts as an application builds them, without the defaults (no appsettings, environment or console logger).</summary>
internal static class TestHosts
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static IHost Build(Action<PumaBuilder> puma, Dictionary<string, string?>? configuration = null, Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(configuration ?? []);
        services?.Invoke(builder.Services);
        builder.Services.AddPuma(puma);
        return builder.Build();
    }

    public static async Task<PumaRunOutcome> OutcomeAsync(this IHost host) =>
        await host.Services.GetRequiredService<PumaHostedRun>().Outcome.WaitAsync(Timeout);
}
