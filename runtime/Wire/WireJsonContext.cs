using System.Text.Json.Serialization;

namespace Puma.Runtime.Wire;

/// <summary>
/// Source-generated JSON contracts of every control-channel payload (enums as strings). Log events are the
/// exception: they use <c>PortableLogEventJson</c>, a hand-written reader and writer of Puma.Logging.
/// </summary>
[JsonSourceGenerationOptions(UseStringEnumConverter = true)]
[JsonSerializable(typeof(ChildStartMessage))]
[JsonSerializable(typeof(ChildStartedMessage))]
[JsonSerializable(typeof(ChildFailedMessage))]
[JsonSerializable(typeof(RunnableConfiguration))]
[JsonSerializable(typeof(ChildReadyMessage))]
[JsonSerializable(typeof(Puma.Logging.PortableException))]
internal sealed partial class WireJsonContext : JsonSerializerContext;
