using System.Security.Cryptography;

namespace Puma.Runtime.Cluster.Bridge;

/// <summary>
/// The secret a bridge connection presents to be matched with what its listener expects: 128 random
/// bits as 32 lowercase hex digits.
/// </summary>
internal static class BridgeToken
{
    /// <summary>Characters of a token.</summary>
    public const int Length = 32;

    /// <summary>A new random token.</summary>
    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(Length / 2));

    /// <summary>The token in its canonical (lowercase) form.</summary>
    /// <exception cref="ArgumentException">The token is not 32 hex digits; the message names it.</exception>
    public static string Normalize(string token, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(token, parameterName);
        if (token.Length != Length || !token.All(char.IsAsciiHexDigit))
            throw new ArgumentException($"Bridge token '{token}' is not {Length} hex digits (128 bits, as BridgeToken.New makes).", parameterName);
        return token.ToLowerInvariant();
    }
}
