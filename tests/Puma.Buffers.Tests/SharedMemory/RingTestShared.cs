using System.Reflection;
using Puma.Buffers.SharedMemory;

namespace Puma.Buffers.Tests.SharedMemory;

/// <summary>Helpers for tests that look at or fake what the ring's shared memory holds.</summary>
internal static unsafe class RingTestShared
{
    /// <summary>A pid above any pid_max: no process has it.</summary>
    public const int DeadPid = 0x3FFF_FFF0;

    /// <summary>Reads the header int at <paramref name="offset"/> from the ring's base.</summary>
    public static int ReadInt(SharedMemoryRing ring, int offset) => Volatile.Read(ref *(int*)(ring.Base + offset));

    /// <summary>Reads the header long at <paramref name="offset"/> from the ring's base.</summary>
    public static long ReadLong(SharedMemoryRing ring, int offset) => Volatile.Read(ref *(long*)(ring.Base + offset));

    /// <summary>Overwrites the header int at <paramref name="offset"/> (to fake a corrupt or foreign header).</summary>
    public static void WriteInt(SharedMemoryRing ring, int offset, int value) => Volatile.Write(ref *(int*)(ring.Base + offset), value);

    /// <summary>Overwrites the header long at <paramref name="offset"/>.</summary>
    public static void WriteLong(SharedMemoryRing ring, int offset, long value) => Volatile.Write(ref *(long*)(ring.Base + offset), value);

    /// <summary>Overwrites the long at <paramref name="offset"/> in the data area.</summary>
    public static void WriteDataLong(SharedMemoryRing ring, long offset, long value) => Volatile.Write(ref *(long*)(ring.Data + offset), value);

    public static int StateOf(SharedMemoryRing ring, int slot) => Volatile.Read(ref *ring.SlotStateWord(slot));

    public static long SlotClaimed(SharedMemoryRing ring, int slot) => Volatile.Read(ref *ring.SlotClaimed(slot));

    public static long SlotCursor(SharedMemoryRing ring, int slot) => Volatile.Read(ref *ring.SlotCursor(slot));

    public static long Claim(SharedMemoryRing ring) => Volatile.Read(ref *ring.ClaimCursor);

    public static long Release(SharedMemoryRing ring) => Volatile.Read(ref *ring.ReleaseCursor);

    public static int SpaceSequence(SharedMemoryRing ring) => Volatile.Read(ref *ring.SpaceSequence);

    /// <summary>
    /// Makes the ring look as if a writer had just parked for space (so the next space signal wakes it, and later ones
    /// do not until it parks again), or as if none were parked.
    /// </summary>
    public static void FakeParkedWriter(SharedMemoryRing ring, bool parked)
    {
        Volatile.Write(ref *ring.SpaceWaiters, parked ? 1 : 0);
        if (parked) Interlocked.Increment(ref *ring.SpaceParks);
    }

    /// <summary>The number of ends the ring disposes with itself.</summary>
    public static int TrackedEnds(SharedMemoryRing ring)
    {
        var ends = (List<IDisposable>)typeof(SharedMemoryRing).GetField("_ends", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(ring)!;
        lock (ends) return ends.Count;
    }

    /// <summary>The dedicated waiter thread of an end (null before its first async wait that had to wait).</summary>
    public static Thread? WaiterThread(object end)
    {
        var waiter = end.GetType().GetField("_waiter", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(end);
        if (waiter is null) return null;
        return (Thread?)waiter.GetType().GetField("_thread", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(waiter);
    }

    public static object? Waiter(object end) =>
        end.GetType().GetField("_waiter", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(end);

    /// <summary>Writes a message of <paramref name="length"/> zero bytes.</summary>
    public static void Write(RingWriter writer, int length)
    {
        Assert.True(writer.TryClaim(length, out var span));
        span.Clear();
        writer.Commit();
    }

    /// <summary>Acquires and releases the next message; returns its length.</summary>
    public static int ReadOne(RingReader reader)
    {
        Assert.True(reader.TryAcquire(out var message));
        var length = message.Length;
        reader.Release();
        return length;
    }
}
