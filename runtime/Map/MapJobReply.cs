namespace Puma.Runtime.Map;

/// <summary>A process worker's answer to a <see cref="MapJob"/>: how much it mapped, and its failure if the kernel threw.</summary>
internal sealed record MapJobReply(long Elements, long Chunks, MapJobFailure? Failure);
