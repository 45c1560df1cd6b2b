namespace Puma.Runtime.Wire;

/// <summary>A command or request read from a <see cref="MessageFrame"/>: its id and its value.</summary>
/// <param name="Id">The id a reply to a request carries back.</param>
/// <param name="Value">The command or request.</param>
internal readonly record struct WireMessage(long Id, object Value);
