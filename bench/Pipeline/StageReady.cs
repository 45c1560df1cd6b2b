namespace Puma.Bench.Pipeline;

/// <summary>
/// The request every pipeline stage answers with true: once each stage has answered, the pipeline
/// is up (a child process has started, connected and runs its loop), which ends the setup time.
/// </summary>
public sealed record StageReady;
