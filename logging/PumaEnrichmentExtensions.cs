using Serilog;
using Serilog.Configuration;

namespace Puma.Logging;

/// <summary>
/// <see cref="LoggerEnrichmentConfiguration"/> extensions that add Puma's standard properties.
/// </summary>
public static class PumaEnrichmentExtensions
{
    /// <summary>
    /// Adds <see cref="PumaLogProperties.ProcessId"/> (the current process id, or <paramref name="processId"/>)
    /// to every event that does not already carry it.
    /// </summary>
    /// <param name="enrich">The enrichment configuration.</param>
    /// <param name="processId">Process id to add; <see langword="null"/> for <see cref="Environment.ProcessId"/>.</param>
    /// <returns>The logger configuration, for chaining.</returns>
    public static LoggerConfiguration WithPumaProcessId(this LoggerEnrichmentConfiguration enrich, int? processId = null)
    {
        ArgumentNullException.ThrowIfNull(enrich);
        return enrich.With(new ProcessIdEnricher(processId ?? Environment.ProcessId));
    }

    /// <summary>
    /// Adds <see cref="PumaLogProperties.Runnable"/> = <paramref name="runnableName"/> to every event that
    /// does not already carry it.
    /// </summary>
    /// <param name="enrich">The enrichment configuration.</param>
    /// <param name="runnableName">Name of the runnable.</param>
    /// <returns>The logger configuration, for chaining.</returns>
    public static LoggerConfiguration WithPumaRunnable(this LoggerEnrichmentConfiguration enrich, string runnableName)
    {
        ArgumentNullException.ThrowIfNull(enrich);
        return enrich.With(new RunnableEnricher(runnableName));
    }
}
