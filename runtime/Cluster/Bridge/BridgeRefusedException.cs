namespace Puma.Runtime.Cluster.Bridge;

/// <summary>
/// A bridge listener refused a connection: it expects no connection for that token now (unknown token,
/// or the token's connection is up, or its previous one ended and nobody expects it again yet).
/// </summary>
internal sealed class BridgeRefusedException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="endpoint">The listener, as host:port.</param>
    public BridgeRefusedException(string endpoint)
        : base($"The bridge listener at {endpoint} refused the connection: it expects no connection for this token now.") =>
        Endpoint = endpoint;

    /// <summary>The listener, as host:port.</summary>
    public string Endpoint { get; }
}
