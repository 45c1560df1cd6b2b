namespace Puma.Runtime.Wire;

/// <summary>Child to parent: a status report.</summary>
internal sealed record StatusEnvelope(TypedValue Value, DateTimeOffset Timestamp);
