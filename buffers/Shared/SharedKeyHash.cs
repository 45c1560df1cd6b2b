using System.Buffers.Binary;

namespace Puma.Buffers;

/// <summary>
/// The hash of an encoded dictionary key: the same in every process (unlike <see cref="string.GetHashCode()"/>,
/// which is randomized per process), 8 bytes at a time over the zero-padded key slot.
/// </summary>
internal static class SharedKeyHash
{
    /// <summary>Hashes <paramref name="key"/> (its length a multiple of 8).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static ulong Of(ReadOnlySpan<byte> key)
    {
        var hash = 0x9E37_79B9_7F4A_7C15UL ^ (ulong)key.Length;
        for (var i = 0; i + 8 <= key.Length; i += 8)
        {
            hash = (hash ^ BinaryPrimitives.ReadUInt64LittleEndian(key[i..])) * 0xFF51_AFD7_ED55_8CCDUL;
            hash ^= hash >> 32;
        }
        hash ^= hash >> 29;
        hash *= 0xC4CE_B9FE_1A85_EC53UL;
        return hash ^ (hash >> 32);
    }
}
