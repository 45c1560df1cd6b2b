namespace Puma.Runtime.Cluster;

/// <summary>
/// A runnable's node was lost: its agent died (kill -9, crash, machine down) or stopped answering the cluster's
/// heartbeats and was downed by the supervisor. The runnable's failure policy applies as for any failure; a restart
/// places it again on a node with the role, if one is up.
/// </summary>
public sealed class NodeLostException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="node">The node's cluster address.</param>
    /// <param name="runnableName">The runnable that ran there.</param>
    /// <param name="processId">Its child process on that node.</param>
    /// <param name="reason">What the supervisor saw (unreachable, removed, agent stopped).</param>
    public NodeLostException(string node, string runnableName, int processId, string reason)
        : base($"Runnable '{runnableName}' was lost with node {node} (its child process {processId} there): {reason}.")
    {
        Node = node;
        RunnableName = runnableName;
        ProcessId = processId;
    }

    /// <summary>The node's cluster address.</summary>
    public string Node { get; }

    /// <summary>The runnable that ran there.</summary>
    public string RunnableName { get; }

    /// <summary>Its child process on that node.</summary>
    public int ProcessId { get; }
}
