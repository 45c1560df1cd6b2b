using Puma.Logging;

namespace Puma.Runtime.Wire;

/// <summary>Child to parent (Ended): how the loop ended; the error for failed and upstream-failed runs.</summary>
internal sealed record LoopEndedMessage(string Kind, PortableException? Error);
