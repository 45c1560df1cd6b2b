using Serilog.Core;
using Serilog.Events;

namespace Puma.Logging;

/// <summary>
/// Adds the <see cref="PumaLogProperties.ProcessId"/> property (an <see cref="int"/>) to events that do
/// not carry it yet.
/// </summary>
internal sealed class ProcessIdEnricher : ILogEventEnricher
{
    private readonly LogEventProperty _property;

    /// <summary>Creates an enricher for the current process (<see cref="Environment.ProcessId"/>).</summary>
    public ProcessIdEnricher()
        : this(Environment.ProcessId)
    {
    }

    /// <summary>Creates an enricher that adds <paramref name="processId"/>.</summary>
    /// <param name="processId">The process id to add.</param>
    public ProcessIdEnricher(int processId)
    {
        ProcessId = processId;
        _property = new LogEventProperty(PumaLogProperties.ProcessId, new ScalarValue(processId));
    }

    /// <summary>The process id this enricher adds.</summary>
    public int ProcessId { get; }

    /// <inheritdoc />
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        logEvent.AddPropertyIfAbsent(_property);
    }
}
