using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Puma.Runtime;

namespace Puma.Hosting;

/// <summary>
/// Builds the <see cref="PumaOptions"/> of the hosted runtime from the host's services: the validated
/// <see cref="PumaHostingOptions"/>, the host's Serilog logger and the host's ActorSystem (Akka.Hosting's
/// <c>AddAkka</c> registers one; without it Puma uses its own, one per process).
/// </summary>
/// <remarks>This is the one place where host services become runtime options.</remarks>
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
            ActorSystem = services.GetService<Akka.Actor.ActorSystem>(),
            StopTimeout = options.StopTimeout,
            StatusCapacity = options.StatusCapacity,
            FailurePolicy = policy!,
        };
    }
}
