namespace Puma.Runtime.Map;

/// <summary>What one worker did: how many elements and chunks it mapped, and its failure if it had one.</summary>
internal sealed record MapWorkerOutcome(long Elements, long Chunks, MapFailure? Failure);
