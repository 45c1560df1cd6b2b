using Puma.Runnables;

namespace Puma.Runtime.Cluster;

/// <summary>
/// Places a runnable on a node of the runtime's cluster (a <c>Puma.Node</c> agent): it runs there in a child process
/// of the agent, and everything else (commands, requests, status, failure policy, stop, logs) behaves as for
/// <see cref="Placement.Process"/>. Pass it to <c>runtime.Add(runnable, placement)</c>.
/// </summary>
/// <param name="Role">The role the node must advertise; null for any node.</param>
public sealed record NodePlacement(string? Role = null)
{
    /// <summary>Any node of the cluster.</summary>
    public static NodePlacement AnyNode { get; } = new();

    /// <summary>A node that advertises <paramref name="role"/>.</summary>
    /// <param name="role">The role, e.g. <c>gpu</c>.</param>
    public static NodePlacement WithRole(string role)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(role);
        return new(role);
    }

    /// <inheritdoc />
    public override string ToString() => Role is null ? "any node" : $"a node with role '{Role}'";
}
