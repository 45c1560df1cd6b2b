namespace Puma.Bench.Pipeline;

/// <summary>One repeat of a pipeline: what the consumer counted, and the setup and teardown times.</summary>
/// <param name="Totals">The consumer's totals.</param>
/// <param name="SetupSeconds">From before the runtime (or channels) was created until it had started every stage.</param>
/// <param name="TeardownSeconds">From the consumer's totals arriving until everything was waited for and disposed.</param>
internal sealed record PipelineRun(PipelineTotals Totals, double SetupSeconds, double TeardownSeconds);
