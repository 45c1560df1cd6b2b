using Puma.Runtime;

namespace Puma.Hosting;

/// <summary>Turns validated <see cref="PumaHostingOptions"/> and the host's Serilog logger into <see cref="PumaOptions"/>.</summary>
internal static class PumaOptionsFactory
{
    /// <param name="options">Validated options.</param>
    /// <param name="logger">The host's Serilog logger, when one is registered; null leaves the runtime on Serilog's <c>Log.Logger</c>.</param>
    public static PumaOptions Create(PumaHostingOptions options, Serilog.ILogger? logger)
    {
        if (!FailurePolicyText.TryParse(options.FailurePolicy, out var policy, out var problem))
            throw new InvalidOperationException($"Puma:FailurePolicy is '{options.FailurePolicy}': {problem}; {FailurePolicyText.Grammar}.");
        return new PumaOptions
        {
            Logger = logger,
            StopTimeout = options.StopTimeout,
            StatusCapacity = options.StatusCapacity,
            FailurePolicy = policy!,
        };
    }
}
