using Akka.Actor;
using Akka.Cluster;

namespace Puma.Runtime.Cluster.Supervisor;

/// <summary>
/// The node agents of a cluster as the supervisor sees them: picks one that is up, reachable and has a role
/// (round robin), waiting for one to join up to a timeout.
/// </summary>
internal sealed class NodeDirectory(ActorSystem system)
{
    /// <summary>The role every node agent advertises besides its own.</summary>
    public const string AgentRole = "puma-node";

    private int _next;

    private Akka.Cluster.Cluster Cluster { get; } = Akka.Cluster.Cluster.Get(system);

    /// <summary>The agents that could take a runnable placed on <paramref name="placement"/> now.</summary>
    public IReadOnlyList<Member> Candidates(NodePlacement placement)
    {
        var state = Cluster.State;
        return state.Members
            .Where(m => m.Status == MemberStatus.Up && m.HasRole(AgentRole) && (placement.Role is null || m.HasRole(placement.Role)))
            .Where(m => !state.Unreachable.Contains(m))
            .OrderBy(m => m.Address.ToString(), StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>A node for <paramref name="placement"/>, round robin; waits up to <paramref name="timeout"/> for one.</summary>
    /// <exception cref="TimeoutException">No agent with the role was up in time; the message lists the members.</exception>
    public async Task<Member> PickAsync(NodePlacement placement, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var candidates = Candidates(placement);
            if (candidates.Count > 0)
                return candidates[(int)((uint)Interlocked.Increment(ref _next) % candidates.Count)];
            if (DateTime.UtcNow >= deadline)
            {
                var members = string.Join(", ", Cluster.State.Members.Select(m => $"{m.Address} [{string.Join(",", m.Roles)}] {m.Status}"));
                throw new TimeoutException($"No Puma node agent for {placement} was up within {timeout.TotalSeconds:0.#} s; members: {(members.Length == 0 ? "none" : members)}.");
            }
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }
}
