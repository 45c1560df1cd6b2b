using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Puma.Runtime.Cluster.Bridge;

/// <summary>Socket options and the optional TLS layer that both ends of a bridge connection share.</summary>
internal static class BridgeSocket
{
    /// <summary>
    /// Send and receive buffer size asked of the kernel (capped by net.core.wmem_max/rmem_max); 0, the
    /// default, keeps the kernel's defaults and auto-tuning. Measured on loopback (see BridgeThroughputTests)
    /// 1 MiB and 4 MiB made no difference beyond the noise, and a fixed size turns Linux's auto-tuning off,
    /// which a long fat link (cross-datacenter) needs: hence 0. A knob for measurements, not for products.
    /// </summary>
    public static int BufferBytes { get; set; }

    /// <summary>Disables Nagle (a lone item goes at once) and applies <see cref="BufferBytes"/>.</summary>
    public static void Configure(Socket socket)
    {
        socket.NoDelay = true;
        if (BufferBytes <= 0) return;
        socket.SendBufferSize = BufferBytes;
        socket.ReceiveBufferSize = BufferBytes;
    }

    /// <summary>
    /// Wraps the connection in TLS when <paramref name="certificate"/> is given: both sides present their
    /// certificate. The peer's is accepted as the cluster's own is (<see cref="ClusterTls"/>): pinned (the same
    /// SHA-256 thumbprint as ours, a shared self-signed certificate) unless <paramref name="validateChain"/>, then
    /// validated against the machine's trusted roots (a private CA, one certificate per member; the host name is
    /// not checked, as for the cluster transport).
    /// </summary>
    public static async Task<Stream> SecureAsync(NetworkStream network, X509Certificate2? certificate, bool server, string host, CancellationToken cancellationToken, bool validateChain = false)
    {
        if (certificate is null) return network;
        var thumbprint = certificate.GetCertHashString(HashAlgorithmName.SHA256);
        var tls = new SslStream(network, leaveInnerStreamOpen: false, (_, peer, _, errors) =>
            peer is not null && (validateChain
                ? (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None
                : string.Equals(peer.GetCertHashString(HashAlgorithmName.SHA256), thumbprint, StringComparison.OrdinalIgnoreCase)));
        try
        {
            if (server)
            {
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificate = certificate,
                    ClientCertificateRequired = true,
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                }, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = host,
                    ClientCertificates = [certificate],
                    LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate,
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                }, cancellationToken).ConfigureAwait(false);
            }
            return tls;
        }
        catch
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
