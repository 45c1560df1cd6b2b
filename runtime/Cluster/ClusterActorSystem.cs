using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Event;
using Akka.Remote.Transport.DotNetty;

namespace Puma.Runtime.Cluster;

/// <summary>
/// Creates the clustered <see cref="ActorSystem"/> of a supervisor or a node agent from its
/// <see cref="PumaClusterOptions"/>: the cluster provider on Akka.Remote's DotNetty TCP transport (TLS with
/// <see cref="PumaClusterOptions.Tls"/>), Puma's logging (<see cref="PumaAkkaSettings"/>), and a failure detector
/// tuned by <see cref="PumaClusterOptions.FailureDetection"/>.
/// </summary>
/// <remarks>
/// Settings chosen and why:
/// <list type="bullet">
/// <item>No automatic downing (<c>downing-provider-class = ""</c>, <c>auto-down-unreachable-after = off</c>: Akka's
/// <c>NoDowning</c>): Akka's split brain resolver, on by default, would down members after 20 s of unreachability
/// on its own; the supervisor downs an unreachable member itself, at once.</item>
/// <item>Failure detector: heartbeat interval and acceptable pause from the options; <c>min-std-deviation</c> a
/// tenth of the interval (Akka's 100 ms would add about 0.5 s to every detection: phi reaches the threshold 8 about
/// 5.2 standard deviations after interval + pause); <c>expected-response-after</c> = the acceptable pause (a first
/// heartbeat that never comes is suspected as soon as a later one would be); the reaper that marks members
/// unreachable runs every heartbeat interval (Akka: every second). <c>monitored-by-nr-of-members = 9</c> (Akka's):
/// with up to 10 members every member watches every other; beyond, the supervisor learns of some unreachable
/// members by gossip.</item>
/// <item>Gossip and leader actions every 200 ms, periodic tasks after 100 ms (Akka: 1 s each): a member is Up in
/// well under a second instead of 2 to 3 s.</item>
/// <item><c>run-coordinated-shutdown-when-down = on</c> (Akka's): a downed member terminates its actor system; a node
/// agent exits when its system terminates (it cannot rejoin once downed). The process itself is not exited by Akka
/// (<c>exit-clr</c> stays off), and not stopped by Akka on SIGTERM (<c>run-by-clr-shutdown-hook = off</c>, as for the
/// local system: the owner stops its runtimes first).</item>
/// <item><c>maximum-frame-size = 16 MiB</c> (Akka: 128 000 bytes): a command, request or answer between a
/// supervisor and a node is one remoting frame; larger ones fail (data flows on buffer streams, not on frames).</item>
/// </list>
/// </remarks>
internal static class ClusterActorSystem
{
    /// <summary>The largest remoting frame, in bytes: 16 MiB.</summary>
    public const int MaximumFrameSize = 16 * 1024 * 1024;

    /// <summary>
    /// Creates the system, with <paramref name="extraRoles"/> after the options' roles. A member without seed nodes
    /// (a supervisor) joins itself and so founds the cluster; the others join their seed nodes.
    /// </summary>
    public static ActorSystem Create(PumaClusterOptions options, IEnumerable<string> extraRoles)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(extraRoles);
        var config = Configuration(options, [.. options.Roles, .. extraRoles]);
        var bootstrap = BootstrapSetup.Create().WithConfig(config);
        var setup = options.Tls is null ? ActorSystemSetup.Create(bootstrap) : bootstrap.And(SslSetup(options.Tls));
        var system = ActorSystem.Create(options.SystemName, setup);
        PumaCluster.Register(system, options);
        if (options.SeedNodes.Count == 0)
        {
            var cluster = Akka.Cluster.Cluster.Get(system);
            cluster.Join(cluster.SelfAddress);
        }

        return system;
    }

    /// <summary>The configuration of a member with <paramref name="options"/> and <paramref name="roles"/>.</summary>
    public static Config Configuration(PumaClusterOptions options, IReadOnlyList<string> roles)
    {
        Validate(options, roles);
        var detection = options.FailureDetection;
        var heartbeat = Milliseconds(detection.HeartbeatInterval);
        var pause = Milliseconds(detection.AcceptableHeartbeatPause);
        var minStdDeviation = Math.Max(1, detection.HeartbeatInterval.TotalMilliseconds / 10).ToString("0", CultureInfo.InvariantCulture) + "ms";
        var hocon = $$"""
            akka {
              actor.provider = cluster
              coordinated-shutdown.run-by-clr-shutdown-hook = off
              coordinated-shutdown.exit-clr = off
              log-dead-letters-during-shutdown = off
              remote.log-remote-lifecycle-events = off
              cluster.log-info = off
              remote.dot-netty.tcp {
                hostname = {{Quote(options.Hostname)}}
                public-hostname = {{Quote(options.Hostname)}}
                port = {{options.Port.ToString(CultureInfo.InvariantCulture)}}
                enable-ssl = {{(options.Tls is null ? "off" : "on")}}
                maximum-frame-size = {{MaximumFrameSize.ToString(CultureInfo.InvariantCulture)}}b
              }
              cluster {
                seed-nodes = [{{string.Join(", ", options.SeedNodes.Select(Quote))}}]
                roles = [{{string.Join(", ", roles.Select(Quote))}}]
                downing-provider-class = ""
                auto-down-unreachable-after = off
                run-coordinated-shutdown-when-down = on
                periodic-tasks-initial-delay = 100ms
                gossip-interval = 200ms
                leader-actions-interval = 200ms
                unreachable-nodes-reaper-interval = {{heartbeat}}
                failure-detector {
                  heartbeat-interval = {{heartbeat}}
                  acceptable-heartbeat-pause = {{pause}}
                  expected-response-after = {{pause}}
                  threshold = 8.0
                  min-std-deviation = {{minStdDeviation}}
                  monitored-by-nr-of-members = 9
                }
              }
            }
            """;
        return ConfigurationFactory.ParseString(hocon).WithFallback(Protocol.NodeMessageSerializer.Configuration).WithFallback(PumaAkkaSettings.Configuration);
    }

    /// <summary>Leaves the cluster (so the others see this member go at once, not as a failure) and terminates the system, within <paramref name="timeout"/>.</summary>
    public static async Task LeaveAndTerminateAsync(ActorSystem system, TimeSpan timeout)
    {
        if (system.WhenTerminated.IsCompleted)
            return;
        try
        {
            var cluster = Akka.Cluster.Cluster.Get(system);
            if (cluster.SelfMember.Status is Akka.Cluster.MemberStatus.Up or Akka.Cluster.MemberStatus.Joining or Akka.Cluster.MemberStatus.WeaklyUp)
                await cluster.LeaveAsync().WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException or InvalidOperationException)
        {
            // A member that cannot leave in time (no other member, a partition) just stops.
        }

        try
        {
            await system.Terminate().WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Terminating goes on in the background; the caller (a dispose) does not hang on it.
        }
    }

    private static DotNettySslSetup SslSetup(ClusterTls tls)
    {
        if (!tls.Certificate.HasPrivateKey)
            throw new ArgumentException($"The TLS certificate {tls.Certificate.Subject} ({tls.Certificate.Thumbprint}) has no private key.", nameof(tls));

        // With validation suppressed the members share one self-signed certificate: accept that one only.
        var pinned = tls.SuppressValidation ? SameCertificate(tls.Certificate) : null;
        return new DotNettySslSetup(tls.Certificate, tls.SuppressValidation, tls.RequireMutualAuthentication, false, pinned);
    }

    private static CertificateValidationCallback SameCertificate(X509Certificate2 own)
    {
        var ownBytes = own.RawData;
        return (X509Certificate2? peer, X509Chain? _, string remotePeer, SslPolicyErrors _, ILoggingAdapter log) =>
        {
            var same = peer is not null && peer.RawData.AsSpan().SequenceEqual(ownBytes);
            if (!same)
                log.Warning("Refused TLS peer {0}: its certificate {1} is not this cluster's ({2})", remotePeer, peer?.Subject ?? "(none)", own.Thumbprint);
            return same;
        };
    }

    private static void Validate(PumaClusterOptions options, IReadOnlyList<string> roles)
    {
        if (string.IsNullOrWhiteSpace(options.SystemName) || !ActorPath.IsValidPathElement(options.SystemName))
            throw new ArgumentException($"Invalid cluster system name \"{options.SystemName}\": use letters, digits, '-' and '_'.", nameof(options));
        if (string.IsNullOrWhiteSpace(options.Hostname))
            throw new ArgumentException($"Invalid cluster hostname \"{options.Hostname}\".", nameof(options));
        if (options.Port is < 0 or > 65535)
            throw new ArgumentOutOfRangeException(nameof(options), options.Port, $"Invalid cluster port {options.Port}: use 0 to 65535.");
        if (options.FailureDetection.HeartbeatInterval < TimeSpan.FromMilliseconds(1))
            throw new ArgumentOutOfRangeException(nameof(options), options.FailureDetection.HeartbeatInterval, $"Invalid heartbeat interval {options.FailureDetection.HeartbeatInterval}: at least 1 ms.");
        if (options.FailureDetection.AcceptableHeartbeatPause < TimeSpan.FromMilliseconds(1))
            throw new ArgumentOutOfRangeException(nameof(options), options.FailureDetection.AcceptableHeartbeatPause, $"Invalid acceptable heartbeat pause {options.FailureDetection.AcceptableHeartbeatPause}: at least 1 ms.");
        foreach (var seed in options.SeedNodes)
            ValidateSeed(seed, options.SystemName);
        foreach (var role in roles)
        {
            if (string.IsNullOrWhiteSpace(role))
                throw new ArgumentException($"Invalid cluster role \"{role}\": empty.", nameof(options));
        }
    }

    private static void ValidateSeed(string seed, string systemName)
    {
        Address address;
        try
        {
            address = Address.Parse(seed);
        }
        catch (Exception e) when (e is UriFormatException or ArgumentException or FormatException)
        {
            throw new ArgumentException($"Invalid seed node \"{seed}\": expected e.g. akka.tcp://{systemName}@10.0.0.5:4053.", nameof(seed), e);
        }

        if (address.Host is null || address.Port is null)
            throw new ArgumentException($"Invalid seed node \"{seed}\": no host or port (expected e.g. akka.tcp://{systemName}@10.0.0.5:4053).", nameof(seed));
        if (address.System != systemName)
            throw new ArgumentException($"Seed node \"{seed}\" names system \"{address.System}\", not this cluster's \"{systemName}\": it could never be joined.", nameof(seed));
    }

    private static string Milliseconds(TimeSpan span) => Math.Round(span.TotalMilliseconds).ToString("0", CultureInfo.InvariantCulture) + "ms";

    private static string Quote(string value)
    {
        var quoted = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\')
                quoted.Append('\\').Append(c);
            else if (char.IsControl(c))
                quoted.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            else
                quoted.Append(c);
        }

        return quoted.Append('"').ToString();
    }
}
