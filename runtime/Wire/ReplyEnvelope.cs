using Puma.Logging;

namespace Puma.Runtime.Wire;

/// <summary>Child to parent: the answer to request <see cref="Id"/>: a value, or the handler's exception.</summary>
internal sealed record ReplyEnvelope(long Id, TypedValue? Value, PortableException? Error);
