using Puma.Logging;

namespace Puma.Runtime.Wire;

/// <summary>
/// Payload of the <see cref="ControlMessageKind.Ended"/> frame (<see cref="EndedFrame"/>): how the runnable's run ended, as the child host's
/// runner returned it. The child exits right after it: with code 0, or 1 when <see cref="Kind"/> is <c>Failed</c>.
/// </summary>
/// <param name="Kind">The name of a <c>LoopOutcomeKind</c>: Completed, Stopped, Failed or UpstreamFailed.</param>
/// <param name="Error">The error of a failed or upstream-failed run; null otherwise.</param>
internal sealed record ChildEndedMessage(string Kind, PortableException? Error)
{
    /// <summary>The run ended by itself without error (what a runner without an actor loop reports).</summary>
    public static ChildEndedMessage Completed { get; } = new("Completed", null);

    /// <summary>Whether the run failed: the child's exit code is then 1.</summary>
    public bool IsFailure => Kind == "Failed";
}
