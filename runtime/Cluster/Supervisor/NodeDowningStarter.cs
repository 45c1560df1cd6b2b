using Akka.Actor;

namespace Puma.Runtime.Cluster.Supervisor;

/// <summary>Starts the one <see cref="NodeDowning"/> actor of a clustered system.</summary>
internal static class NodeDowningStarter
{
    /// <summary>Starts the downing actor of <paramref name="system"/> unless it runs already.</summary>
    public static void EnsureStarted(ActorSystem system)
    {
        lock (system)
        {
            try
            {
                system.ActorOf(Props.Create(() => new NodeDowning()), NodeDowning.Name);
            }
            catch (InvalidActorNameException)
            {
                // Already started by another runtime on this system.
            }
        }
    }
}
