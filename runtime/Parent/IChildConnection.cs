using Puma.Runtime.Wire;

namespace Puma.Runtime.Parent;

/// <summary>
/// A started child host as a <see cref="Supervision.ProcessRun"/> sees it: a control channel, an exit, a kill. A
/// local <see cref="ChildProcess"/>, or a child of a cluster node reached through its agent
/// (<see cref="Cluster.Supervisor.NodeChild"/>).
/// </summary>
internal interface IChildConnection : IAsyncDisposable
{
    /// <summary>The child's process id (on its machine).</summary>
    int Pid { get; }

    /// <summary>The address of the cluster node the child runs on; null for a local child.</summary>
    string? Node { get; }

    /// <summary>Completes when the child has exited.</summary>
    Task<ChildExit> Exited { get; }

    /// <summary>Sends a frame to the child.</summary>
    ValueTask SendAsync(ControlFrame frame, CancellationToken cancellationToken = default);

    /// <summary>The next frame from the child; null once it closed the channel or died.</summary>
    ValueTask<ControlFrame?> ReadAsync(CancellationToken cancellationToken = default);

    /// <summary>Kills the child (SIGKILL); does nothing once it exited.</summary>
    void Kill();

    /// <summary>How a port is bound in the child: the supervisor's plan, or the node's own ring for it.</summary>
    PortBinding Bind(string portName, PortBinding planned);

    /// <summary>The failure of a run whose child exited without reporting how its runnable ended.</summary>
    Exception Died(string runnableName, ChildExit exit);
}
