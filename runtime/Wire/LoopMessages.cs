using System.Text.Json.Serialization;
using Puma.Logging;

namespace Puma.Runtime.Wire;

/// <summary>Child to parent (Ready): the loop is configured; the assembly-qualified names of the command and request types it handles.</summary>
internal sealed record ChildReadyMessage(string[] Commands, string[] Requests);

/// <summary>A value that crosses the control channel: its type's assembly-qualified name and its JSON.</summary>
internal sealed record TypedValue(string TypeName, string Json);

/// <summary>Parent to child: a command (Command) or a request (Request, answered by a Reply with the same id).</summary>
internal sealed record MessageEnvelope(long Id, TypedValue Value);

/// <summary>Child to parent: the answer to request <see cref="Id"/>: a value, or the handler's exception.</summary>
internal sealed record ReplyEnvelope(long Id, TypedValue? Value, PortableException? Error);

/// <summary>Child to parent: a status report.</summary>
internal sealed record StatusEnvelope(TypedValue Value, DateTimeOffset Timestamp);

/// <summary>Child to parent (Ended): how the loop ended; the error for failed and upstream-failed runs.</summary>
internal sealed record LoopEndedMessage(string Kind, PortableException? Error);

/// <summary>Source-generated JSON contracts of the loop messages.</summary>
[JsonSerializable(typeof(ChildReadyMessage))]
[JsonSerializable(typeof(MessageEnvelope))]
[JsonSerializable(typeof(ReplyEnvelope))]
[JsonSerializable(typeof(StatusEnvelope))]
[JsonSerializable(typeof(LoopEndedMessage))]
internal sealed partial class LoopJsonContext : JsonSerializerContext;
