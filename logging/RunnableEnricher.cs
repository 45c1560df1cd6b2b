using Serilog.Core;
using Serilog.Events;

namespace Puma.Logging;

/// <summary>
/// Adds the <see cref="PumaLogProperties.Runnable"/> property to events that do not carry it yet.
/// </summary>
internal sealed class RunnableEnricher : ILogEventEnricher
{
    private readonly LogEventProperty _property;

    /// <summary>Creates an enricher that tags events with <paramref name="runnableName"/>.</summary>
    /// <param name="runnableName">Name of the runnable.</param>
    public RunnableEnricher(string runnableName)
    {
        ArgumentNullException.ThrowIfNull(runnableName);
        RunnableName = runnableName;
        _property = new LogEventProperty(PumaLogProperties.Runnable, new ScalarValue(runnableName));
    }

    /// <summary>The runnable name this enricher adds.</summary>
    public string RunnableName { get; }

    /// <inheritdoc />
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        logEvent.AddPropertyIfAbsent(_property);
    }
}
