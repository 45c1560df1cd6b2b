namespace Puma.Runtime.Wire;

/// <summary>A value that crosses the control channel: its type's assembly-qualified name and its JSON.</summary>
internal sealed record TypedValue(string TypeName, string Json);
