namespace Puma.Buffers;

/// <summary>Atomic access to the 32- and 64-bit words of a mapping by address, for code that awaits (and so cannot hold pointers).</summary>
internal static unsafe class SharedWords
{
    /// <summary>An acquire read of the int at <paramref name="address"/>.</summary>
    public static int ReadInt32(nint address) => Volatile.Read(ref *(int*)address);

    /// <summary>An acquire read of the ulong at <paramref name="address"/>.</summary>
    public static ulong ReadUInt64(nint address) => Volatile.Read(ref *(ulong*)address);

    /// <summary>Writes <paramref name="value"/> to the int at <paramref name="address"/>, atomically (a full fence).</summary>
    public static void Exchange(nint address, int value) => Interlocked.Exchange(ref *(int*)address, value);
}
