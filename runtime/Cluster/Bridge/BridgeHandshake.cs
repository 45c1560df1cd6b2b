using System.Text;

namespace Puma.Runtime.Cluster.Bridge;

/// <summary>
/// The first bytes of a bridge connection (inside TLS when TLS is on): the connector sends
/// <see cref="Magic"/> and its token as 32 ASCII hex digits; the listener answers one byte,
/// <see cref="Accepted"/> or <see cref="Refused"/> (then closes). Frames (<see cref="BridgeFrames"/>) follow an acceptance.
/// </summary>
internal static class BridgeHandshake
{
    /// <summary>Protocol name and version: "PUMABRG" and 1.</summary>
    public static ReadOnlySpan<byte> Magic => "PUMABRG\u0001"u8;

    /// <summary>Bytes the connector sends: the magic and the token.</summary>
    public const int HelloBytes = 8 + BridgeToken.Length;

    /// <summary>The listener's answer when it expected the token.</summary>
    public const byte Accepted = 1;

    /// <summary>The listener's answer to an unknown token or a token whose connection is already up.</summary>
    public const byte Refused = 0;

    /// <summary>How long either side waits for the other's half of the handshake.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>The hello for <paramref name="token"/> (normalized).</summary>
    public static byte[] Hello(string token)
    {
        var hello = new byte[HelloBytes];
        Magic.CopyTo(hello);
        Encoding.ASCII.GetBytes(token, hello.AsSpan(Magic.Length));
        return hello;
    }

    /// <summary>The token a hello carries, or null when it is not a bridge hello.</summary>
    public static string? TokenOf(ReadOnlySpan<byte> hello)
    {
        if (hello.Length != HelloBytes || !hello.StartsWith(Magic)) return null;
        var token = Encoding.ASCII.GetString(hello[Magic.Length..]);
        return token.All(char.IsAsciiHexDigit) ? token.ToLowerInvariant() : null;
    }
}
