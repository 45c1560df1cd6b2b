namespace Puma.Runtime.Cluster.Protocol;

/// <summary>
/// A message between the supervisor and a node agent (<see cref="NodeMessageSerializer"/> writes them in binary).
/// One run of a runnable on a node: the supervisor's <c>NodeChildActor</c> sends <see cref="SpawnChild"/> to the agent
/// (it is the sender of every message of the run, and the agent watches it); the agent answers
/// <see cref="ChildSpawned"/> or <see cref="SpawnFailed"/>, then relays the child's control frames both ways
/// (<see cref="ToChild"/>, <see cref="FromChild"/>), its stray output (<see cref="ChildOutput"/>) and its exit
/// (<see cref="ChildExited"/>, always last).
/// </summary>
internal interface INodeMessage;

/// <summary>Start a child host for a runnable, with one local ring and bridge per port.</summary>
internal sealed record SpawnChild(string RunId, string Runnable, IReadOnlyList<ProxyPort> Ports) : INodeMessage;

/// <summary>
/// A port of a runnable on a node: the node makes a ring of <paramref name="CapacityBytes"/> for it and connects it
/// to the supervisor's bridge at <paramref name="Host"/>:<paramref name="BridgePort"/> with <paramref name="Token"/>.
/// </summary>
internal sealed record ProxyPort(string Port, string Buffer, bool IsWriter, long CapacityBytes, string Host, int BridgePort, string Token);

/// <summary>The child runs: its pid and the segment of each port's ring (by port name).</summary>
internal sealed record ChildSpawned(string RunId, int Pid, IReadOnlyDictionary<string, string> Segments) : INodeMessage;

/// <summary>The child could not be started.</summary>
internal sealed record SpawnFailed(string RunId, string Error) : INodeMessage;

/// <summary>A control frame for the child.</summary>
internal sealed record ToChild(string RunId, byte Kind, byte[] Payload) : INodeMessage;

/// <summary>A control frame from the child.</summary>
internal sealed record FromChild(string RunId, byte Kind, byte[] Payload) : INodeMessage;

/// <summary>A line the child wrote to stdout or stderr.</summary>
internal sealed record ChildOutput(string RunId, bool IsStandardError, string Line) : INodeMessage;

/// <summary>The child exited (the last message of a run).</summary>
internal sealed record ChildExited(string RunId, int ExitCode) : INodeMessage;

/// <summary>Kill the child (SIGKILL).</summary>
internal sealed record KillChild(string RunId) : INodeMessage;
