using Akka.Actor;
using Akka.Configuration;

namespace Puma.Runtime.Actors;

/// <summary>
/// The one <see cref="ActorSystem"/> of this process that Puma creates when the application gives none
/// (<see cref="PumaOptions.ActorSystem"/>): created on first use, shared by every runtime, never one per runtime
/// (a system costs threads and a scheduler). It uses the local provider: children are supervised at the OS level,
/// not by remoting. Akka's own log events go through <see cref="AkkaLogRouter"/>, and Akka prints nothing itself.
/// It is never terminated: not by Puma, and not by Akka's CLR shutdown hook on SIGTERM (a runtime still running
/// then is stopped by its owner, e.g. a Generic Host's StopAsync, and needs its actors for that); it ends with the
/// process.
/// Every dead letter is logged (Akka's default stops after 10): a message to a runnable that has ended is a
/// command lost, which Puma never drops silently.
/// </summary>
internal static class PumaActorSystem
{
    /// <summary>The name of the shared system (its actor paths read akka://puma/user/...).</summary>
    public const string Name = "puma";

    private static readonly Lazy<ActorSystem> Lazy = new(() => ActorSystem.Create(Name, Configuration), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The configuration of the shared system: <see cref="PumaAkkaSettings"/> with the local provider.</summary>
    public static Config Configuration { get; } = ConfigurationFactory.ParseString("""
        akka.actor.provider = local
        akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
        """).WithFallback(PumaAkkaSettings.Configuration);

    /// <summary>The shared system, created on first use.</summary>
    public static ActorSystem Shared => Lazy.Value;
}
