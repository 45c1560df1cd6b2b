namespace Puma.Bench.Pipeline;

/// <summary>
/// The command that starts a <see cref="PipelineProducer{T}"/>: sent once the runtime has started
/// every stage, so that the measured window does not include the start of the other stages.
/// </summary>
public sealed record StartProducing;
