using System.Diagnostics;
using System.Text.Json.Serialization;
using Serilog.Events;

namespace Puma.Logging;

/// <summary>
/// The portable form of a Serilog <see cref="LogEvent"/>, for shipping events between processes:
/// timestamp (with its offset), level, message template text, properties, exception, trace and span
/// ids. <see cref="FromLogEvent"/> followed by <see cref="ToLogEvent"/> is lossless: the rendered
/// message and every property value are equal, and scalar CLR types are preserved, except enums
/// (which become <see cref="RemoteEnumValue"/>) and scalars of types outside the wire set
/// (which become <see cref="RemoteObjectValue"/>); both render as the original did.
/// The exception becomes a <see cref="RemoteException"/>.
/// </summary>
/// <remarks>
/// <para>Serialize with <see cref="PortableLogEventJson"/> or with <c>System.Text.Json</c>
/// (the type carries a <see cref="JsonConverterAttribute"/>; no reflection is involved).
/// The wire format is described on <see cref="PortableLogEventJson"/>.</para>
/// <para>Instances are immutable. Property values are Serilog's own immutable value objects,
/// restricted to the wire set by <see cref="FromLogEvent"/>.</para>
/// </remarks>
[JsonConverter(typeof(PortableLogEventJsonConverter))]
internal sealed class PortableLogEvent
{
    private static readonly IReadOnlyDictionary<string, LogEventPropertyValue> NoProperties =
        new Dictionary<string, LogEventPropertyValue>(0);

    /// <summary>Creates a portable event. Property values should be of the wire set (see <see cref="PortableLogEventJson"/>); others are normalized.</summary>
    /// <param name="timestamp">When the event happened, with the offset it was logged with.</param>
    /// <param name="level">The event's level.</param>
    /// <param name="messageTemplate">The message template text.</param>
    /// <param name="properties">The event's properties, in order.</param>
    /// <param name="exception">The exception, if any.</param>
    /// <param name="traceId">W3C trace id (32 lowercase hex digits), if any.</param>
    /// <param name="spanId">W3C span id (16 lowercase hex digits), if any.</param>
    public PortableLogEvent(
        DateTimeOffset timestamp,
        LogEventLevel level,
        string messageTemplate,
        IReadOnlyDictionary<string, LogEventPropertyValue>? properties,
        PortableException? exception = null,
        string? traceId = null,
        string? spanId = null)
        : this(timestamp, level, messageTemplate, properties is null || properties.Count == 0 ? NoProperties : Normalize(properties), exception, traceId, spanId, owned: true)
    {
    }

    /// <summary>Takes <paramref name="properties"/> as they are (already of the wire set, not shared).</summary>
    internal PortableLogEvent(
        DateTimeOffset timestamp,
        LogEventLevel level,
        string messageTemplate,
        IReadOnlyDictionary<string, LogEventPropertyValue> properties,
        PortableException? exception,
        string? traceId,
        string? spanId,
        bool owned)
    {
        ArgumentNullException.ThrowIfNull(messageTemplate);
        _ = owned;
        Timestamp = timestamp;
        Level = level;
        MessageTemplate = messageTemplate;
        Properties = properties;
        Exception = exception;
        TraceId = traceId;
        SpanId = spanId;
    }

    /// <summary>When the event happened, with the offset it was logged with.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>The event's level.</summary>
    public LogEventLevel Level { get; }

    /// <summary>The message template text.</summary>
    public string MessageTemplate { get; }

    /// <summary>The event's properties, in order, all of the wire set.</summary>
    public IReadOnlyDictionary<string, LogEventPropertyValue> Properties { get; }

    /// <summary>The exception, if any.</summary>
    public PortableException? Exception { get; }

    /// <summary>W3C trace id as 32 lowercase hex digits, or <see langword="null"/>.</summary>
    public string? TraceId { get; }

    /// <summary>W3C span id as 16 lowercase hex digits, or <see langword="null"/>.</summary>
    public string? SpanId { get; }

    /// <summary>Captures a Serilog event.</summary>
    /// <param name="logEvent">The event.</param>
    /// <returns>Its portable form.</returns>
    public static PortableLogEvent FromLogEvent(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        return new PortableLogEvent(
            logEvent.Timestamp,
            logEvent.Level,
            logEvent.MessageTemplate.Text,
            logEvent.Properties,
            logEvent.Exception is null ? null : PortableException.FromException(logEvent.Exception),
            logEvent.TraceId?.ToHexString(),
            logEvent.SpanId?.ToHexString());
    }

    /// <summary>
    /// Rebuilds a Serilog event: same timestamp, level, template (parsed, with a bounded cache),
    /// properties and trace/span ids; the exception becomes a <see cref="RemoteException"/>.
    /// Each call returns a new event (events are mutable, sinks may enrich them).
    /// </summary>
    /// <returns>The event.</returns>
    public LogEvent ToLogEvent()
    {
        var properties = new LogEventProperty[Properties.Count];
        var i = 0;
        foreach (var pair in Properties)
            properties[i++] = new LogEventProperty(pair.Key, pair.Value);

        var template = MessageTemplateCache.Parse(MessageTemplate);
        var exception = Exception?.ToException();
        if (TraceId is null && SpanId is null)
            return new LogEvent(Timestamp, Level, exception, template, properties);

        return new LogEvent(
            Timestamp,
            Level,
            exception,
            template,
            properties,
            TraceId is null ? default : ActivityTraceId.CreateFromString(TraceId),
            SpanId is null ? default : ActivitySpanId.CreateFromString(SpanId));
    }

    private static IReadOnlyDictionary<string, LogEventPropertyValue> Normalize(IReadOnlyDictionary<string, LogEventPropertyValue> properties)
    {
        var copy = new Dictionary<string, LogEventPropertyValue>(properties.Count, StringComparer.Ordinal);
        foreach (var pair in properties)
            copy.Add(pair.Key, PortableValues.Normalize(pair.Value));

        return copy;
    }
}
