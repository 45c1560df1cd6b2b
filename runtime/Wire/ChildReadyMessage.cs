namespace Puma.Runtime.Wire;

/// <summary>Child to parent (Ready): the loop is configured; the assembly-qualified names of the command and request types it handles.</summary>
internal sealed record ChildReadyMessage(string[] Commands, string[] Requests);
