namespace Puma.Buffers;

/// <summary>Atomic access to the 32- and 64-bit words of a mapping by address, for code that awaits (and so cannot hold pointers).</summary>
internal static unsafe class SharedWords
{
    /// <summary>An acquire read of the int at <paramref name="address"/>.</summary>
    public static int ReadInt32(nint address) => Volatile.Read(ref *(int*)address);

    /// <summary>An acquire read of the ulong at <paramref name="address"/>.</summary>
    public static ulong ReadUInt64(nint address) => Volatile.Read(ref *(ulong*)address);

    /// <summary>Adds one to the int at <paramref name="address"/>, atomically.</summary>
    public static void Increment(nint address) => Interlocked.Increment(ref *(int*)address);

    /// <summary>Subtracts one from the int at <paramref name="address"/>, atomically.</summary>
    public static void Decrement(nint address) => Interlocked.Decrement(ref *(int*)address);
}
