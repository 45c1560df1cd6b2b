namespace Puma.Runtime.Wire;

/// <summary>The kind of a <see cref="ControlFrame"/>; one byte on the wire.</summary>
internal enum ControlMessageKind : byte
{
    /// <summary>Parent to child: what to run (<see cref="ChildStartMessage"/>). Always the first frame.</summary>
    Start = 1,

    /// <summary>Child to parent: the runnable was rebuilt and is about to run (<see cref="ChildStartedMessage"/>).</summary>
    Started = 2,

    /// <summary>Parent to child: a command for the runnable.</summary>
    Command = 3,

    /// <summary>Parent to child: a command that expects a <see cref="Reply"/>.</summary>
    Request = 4,

    /// <summary>Child to parent: the answer to a <see cref="Request"/>.</summary>
    Reply = 5,

    /// <summary>Child to parent: a status report of the runnable.</summary>
    Status = 6,

    /// <summary>Parent to child: stop gracefully.</summary>
    Stop = 7,

    /// <summary>Child to parent: a log event.</summary>
    Log = 8,

    /// <summary>Child to parent: the runnable ended without error. The child exits afterwards.</summary>
    Completed = 9,

    /// <summary>Child to parent: the runnable failed (<see cref="ChildFailedMessage"/>). The child exits afterwards.</summary>
    Failed = 10,

    /// <summary>Either way: liveness probe; the child answers a Ping with a Ping carrying the same payload.</summary>
    Ping = 11,

    /// <summary>Child to parent: the actor loop is configured; carries the command and request types it handles.</summary>
    Ready = 12,

    /// <summary>Child to parent: how the actor loop ended (completed, stopped, failed, upstream failed), before Completed/Failed.</summary>
    Ended = 13,
}
