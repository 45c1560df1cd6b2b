namespace Puma.Runtime.Wire;

/// <summary>Parent to child: a command (Command) or a request (Request, answered by a Reply with the same id).</summary>
internal sealed record MessageEnvelope(long Id, TypedValue Value);
