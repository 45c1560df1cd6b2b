namespace Puma.Runtime.Wire;

/// <summary>
/// The kind of a <see cref="ControlFrame"/>; one byte on the wire. This is the whole protocol between a parent and
/// the child host, documented here only.
/// </summary>
/// <remarks>
/// <para>A run: the parent sends <see cref="Start"/>; the child answers <see cref="Started"/> once the runnable is
/// rebuilt, then (a <c>Runnable</c> in its actor loop) <see cref="Ready"/> once the loop is configured; then any
/// number of <see cref="Log"/>, <see cref="Status"/>, <see cref="Reply"/> and <see cref="Ping"/> frames; and finally
/// exactly one of <see cref="Ended"/> (the runner returned: how the run ended) or <see cref="Failed"/> (rebuilding
/// the runnable or the runner itself threw, or an exception escaped on another thread), after which it exits. A child
/// that exits without either died (the parent reports its exit code or signal).</para>
/// <para>Two "started" frames because they say different things at different times: <see cref="Started"/> comes from
/// the host, for any runner (the hosting tests' plain samples included), and means the configuration was restored;
/// <see cref="Ready"/> comes from the actor loop after the runnable's <c>Configure</c> ran, and lists the commands
/// and requests it handles, which the parent checks before sending any. Two final frames because
/// <see cref="Ended"/> is an outcome the runnable's failure policy acts on (completed, stopped, failed,
/// upstream failed), while <see cref="Failed"/> is the host's own failure, with the exception's full text.</para>
/// <para>Values are stable on the wire: 9 (the former Completed, now <see cref="Ended"/> of a completed run) is not reused.</para>
/// </remarks>
internal enum ControlMessageKind : byte
{
    /// <summary>Parent to child: what to run (<see cref="ChildStartMessage"/>, in binary: <see cref="StartFrame"/>). Always the first frame.</summary>
    Start = 1,

    /// <summary>Child to parent, from the host: the runnable was rebuilt and is about to run (<see cref="ChildStartedMessage"/>, in binary: <see cref="StartedFrame"/>).</summary>
    Started = 2,

    /// <summary>Parent to child: a command for the runnable (<see cref="MessageFrame"/>, binary).</summary>
    Command = 3,

    /// <summary>Parent to child: a command that expects a <see cref="Reply"/> with the same id (<see cref="MessageFrame"/>, binary).</summary>
    Request = 4,

    /// <summary>Child to parent: the answer to a <see cref="Request"/> (<see cref="ReplyFrame"/>, binary).</summary>
    Reply = 5,

    /// <summary>
    /// Child to parent: a status report of the runnable (<see cref="StatusFrame"/>, binary); the host's default runner
    /// (tests, diagnostics) sends the rebuilt configuration instead (<see cref="RunnableConfiguration"/>).
    /// </summary>
    Status = 6,

    /// <summary>Parent to child: stop gracefully; no payload.</summary>
    Stop = 7,

    /// <summary>Child to parent: a log event (a portable log event in Puma.Logging's JSON).</summary>
    Log = 8,

    /// <summary>
    /// Child to parent, from the host: the runnable could not be rebuilt or its runner threw, or an exception escaped
    /// on another thread (<see cref="ChildFailedMessage"/>). The child exits afterwards with code 1.
    /// </summary>
    Failed = 10,

    /// <summary>Either way: liveness probe; the child answers a Ping with a Ping carrying the same payload.</summary>
    Ping = 11,

    /// <summary>Child to parent, from the actor loop: the loop is configured; the command and request types it handles (<see cref="ChildReadyMessage"/>, in binary: <see cref="ReadyFrame"/>).</summary>
    Ready = 12,

    /// <summary>
    /// Child to parent, from the host: the runner returned; how the run ended (<see cref="ChildEndedMessage"/>). The
    /// child exits afterwards, with code 1 for a failed run and 0 otherwise.
    /// </summary>
    Ended = 13,
}
