namespace Puma.Runtime.Wire;

/// <summary>Payload of the <see cref="ControlMessageKind.Started"/> frame.</summary>
/// <param name="ProcessId">The child's process id.</param>
internal sealed record ChildStartedMessage(int ProcessId);
