using System.Text.Json.Serialization;

namespace Puma.Runtime.Wire;

/// <summary>Source-generated JSON contracts of the control protocol payloads.</summary>
[JsonSourceGenerationOptions(UseStringEnumConverter = true)]
[JsonSerializable(typeof(ChildStartMessage))]
[JsonSerializable(typeof(ChildStartedMessage))]
[JsonSerializable(typeof(ChildFailedMessage))]
[JsonSerializable(typeof(RunnableConfiguration))]
internal sealed partial class ControlJsonContext : JsonSerializerContext;
