using Puma.Logging;

namespace Puma.Runtime.Wire;

/// <summary>A reply read from a <see cref="ReplyFrame"/>: the request id, and the value or the handler's exception.</summary>
/// <param name="Id">The id of the request answered.</param>
/// <param name="Value">The reply; null when the handler returned null or threw.</param>
/// <param name="Error">The handler's exception; null when it returned.</param>
internal readonly record struct WireReply(long Id, object? Value, PortableException? Error);
