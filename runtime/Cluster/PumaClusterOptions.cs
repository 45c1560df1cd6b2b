using System.Security.Cryptography.X509Certificates;

namespace Puma.Runtime.Cluster;

/// <summary>
/// How a process joins a Puma cluster (Akka.Cluster): the supervisor (<see cref="PumaOptions.Cluster"/>) and every
/// node agent take one. Without it a runtime stays local and pays no remoting cost.
/// </summary>
/// <remarks>
/// Defaults are safe for one machine: bind to 127.0.0.1 on a free port. To span machines, set <see cref="Hostname"/>
/// to an address the other machines reach, and <see cref="Tls"/>: without TLS anyone who reaches the port can join.
/// </remarks>
public sealed record PumaClusterOptions
{
    /// <summary>The actor system's name; every member of one cluster must use the same. Default <c>puma</c>.</summary>
    public string SystemName { get; init; } = "puma";

    /// <summary>The address this process binds to and advertises. Default 127.0.0.1 (loopback: no other machine can reach it).</summary>
    public string Hostname { get; init; } = "127.0.0.1";

    /// <summary>The TCP port; 0 (default) takes a free one (see the address once started).</summary>
    public int Port { get; init; }

    /// <summary>
    /// Addresses of members to join, e.g. <c>akka.tcp://puma@10.0.0.5:4053</c>. Empty for a supervisor: it then
    /// seeds its own cluster and node agents join it.
    /// </summary>
    public IReadOnlyList<string> SeedNodes { get; init; } = [];

    /// <summary>The roles this member advertises; runnables are placed on nodes by role (<see cref="NodePlacement"/>).</summary>
    public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary>How fast a dead or unreachable member is detected; <see cref="ClusterFailureDetection.Default"/> unless set.</summary>
    public ClusterFailureDetection FailureDetection { get; init; } = ClusterFailureDetection.Default;

    /// <summary>TLS for the cluster transport and the buffer streams between nodes; null (default) for plain TCP.</summary>
    public ClusterTls? Tls { get; init; }

    /// <summary>How long a placement on a node waits for a node with the role to be up. Default 30 s.</summary>
    public TimeSpan PlacementTimeout { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// The failure detector of a cluster (Akka's phi accrual detector on heartbeats between members). A member that
/// stops answering heartbeats is marked unreachable after about <see cref="HeartbeatInterval"/> +
/// <see cref="AcceptableHeartbeatPause"/>; the supervisor then downs it and fails the runnables it ran.
/// </summary>
/// <remarks>
/// The trade-off: a shorter pause detects a killed node sooner, but a node that is only slow (a long GC pause, a
/// saturated CPU or network) is downed too, and its runnables are failed although they were alive; a downed node
/// cannot come back without restarting its agent. Heartbeats cost a small message per interval per monitored member.
/// </remarks>
/// <param name="HeartbeatInterval">How often members send heartbeats.</param>
/// <param name="AcceptableHeartbeatPause">How long a silence is tolerated before the member is suspected.</param>
public sealed record ClusterFailureDetection(TimeSpan HeartbeatInterval, TimeSpan AcceptableHeartbeatPause)
{
    /// <summary>Detects a killed node within 2 s (heartbeat 250 ms, pause 1 s): tolerates pauses up to about a second.</summary>
    public static ClusterFailureDetection Default { get; } = new(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(1));

    /// <summary>Detects a killed node within 0.6 s (heartbeat 100 ms, pause 300 ms): only for quiet, dedicated networks and machines.</summary>
    public static ClusterFailureDetection Fast { get; } = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(300));
}

/// <summary>
/// TLS for a cluster: every member presents <see cref="Certificate"/> (with its private key) and, with
/// <see cref="RequireMutualAuthentication"/>, accepts only peers that present a certificate it trusts.
/// </summary>
/// <remarks>
/// What a member accepts, on every connection it opens or accepts:
/// <list type="bullet">
/// <item>A member without TLS never joins a TLS cluster, nor a TLS member a plain one (the handshake fails; the plain
/// member keeps retrying until its owner gives up).</item>
/// <item>With <see cref="SuppressValidation"/>, Puma pins the certificate: a peer must present exactly this
/// <see cref="Certificate"/> (Akka alone, with validation suppressed, would accept any certificate at all).</item>
/// <item>Without it, a peer's certificate must chain to a root the machine trusts; its host name is not checked, so
/// any certificate issued by a trusted root is accepted: use a private CA trusted only for this, never a public one.</item>
/// <item>Without <see cref="RequireMutualAuthentication"/> only the member that is connected to proves itself: a
/// supervisor then accepts any client that speaks TLS, with or without a certificate. Keep it on.</item>
/// <item>A member whose own outbound handshake fails (it refuses the certificate of the member it joins, or that
/// member refuses its certificate) has its actor system terminated by Akka; the member it tried to join is unaffected.</item>
/// </list>
/// TLS encrypts and authenticates connections only: any holder of an accepted certificate and its key is a full member.
/// </remarks>
/// <param name="Certificate">This member's certificate, with its private key.</param>
/// <param name="SuppressValidation">
/// True to skip chain validation and accept only peers presenting this very certificate (a self-signed certificate
/// shared by all members); false (default) to validate a peer's certificate against the machine's trusted roots.
/// </param>
/// <param name="RequireMutualAuthentication">True (default) to refuse peers that present no certificate.</param>
public sealed record ClusterTls(X509Certificate2 Certificate, bool SuppressValidation = false, bool RequireMutualAuthentication = true);
