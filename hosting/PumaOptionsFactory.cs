using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Puma.Runtime;

namespace Puma.Hosting;

/// <summary>
/// Builds the <see cref="PumaOptions"/> of the hosted runtime from the host's services: the validated
/// <see cref="PumaHostingOptions"/> and the host's Serilog logger.
/// </summary>
/// <remarks>
/// This is the one place where host services become runtime options. Akka.Hosting integration (a future
/// <c>WithPuma()</c> on Akka.Hosting's builder) plugs in here: once <c>PumaOptions.ActorSystem</c> exists,
/// set it from <c>services.GetService&lt;ActorSystem&gt;()</c> so that Puma uses the host's ActorSystem.
/// </remarks>
internal static class PumaOptionsFactory
{
    public static PumaOptions Create(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<PumaHostingOptions>>().Value;
        if (!FailurePolicyText.TryParse(options.FailurePolicy, out var policy, out var problem))
            throw new InvalidOperationException($"Puma:FailurePolicy is '{options.FailurePolicy}': {problem}; {FailurePolicyText.Grammar}.");
        return new PumaOptions
        {
            // Serilog.Extensions.Hosting's AddSerilog(logger) and AddSerilog(configure) register it; null keeps
            // the runtime on Serilog's static Log.Logger, read when a runnable starts.
            Logger = services.GetService<Serilog.ILogger>(),
            StopTimeout = options.StopTimeout,
            StatusCapacity = options.StatusCapacity,
            FailurePolicy = policy!,
        };
    }
}
