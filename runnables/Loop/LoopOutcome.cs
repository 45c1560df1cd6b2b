namespace Puma.Runnables.Loop;

/// <summary>How a run of a runnable's loop ended.</summary>
internal enum LoopOutcomeKind
{
    /// <summary>Every source finished.</summary>
    Completed,

    /// <summary>It was asked to stop.</summary>
    Stopped,

    /// <summary>A handler, RunAsync or the produce step threw.</summary>
    Failed,

    /// <summary>An input completed with an error that no completion handler took.</summary>
    UpstreamFailed,
}

/// <summary>The end of one run of a loop, with its error when there was one.</summary>
internal sealed record LoopOutcome(LoopOutcomeKind Kind, Exception? Error)
{
    public static readonly LoopOutcome Completed = new(LoopOutcomeKind.Completed, null);
    public static readonly LoopOutcome Stopped = new(LoopOutcomeKind.Stopped, null);
}
