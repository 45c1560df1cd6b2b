namespace Puma.Bench.Pipeline;

/// <summary>
/// One way of running producer -> identity processor -> consumer (a column of the <c>pipeline</c>
/// table). To add one, implement this and list it in <see cref="PipelineSuite.Implementations"/>.
/// </summary>
internal interface IPipelineImplementation
{
    /// <summary>The name in the table.</summary>
    string Name { get; }

    /// <summary>The implementation whose figures the ratio column divides by.</summary>
    string Baseline { get; }

    /// <summary>Sets up the three stages, sends the case's messages through, tears down; throws on any failure.</summary>
    /// <param name="case">What to send.</param>
    PipelineRun RunOnce(PipelineCase @case);
}
