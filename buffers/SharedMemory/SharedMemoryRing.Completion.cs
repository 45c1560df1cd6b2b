using System.Text;

namespace Puma.Buffers.SharedMemory;

// Completion (normal or with an error carried across processes) and the futex signals.
public sealed unsafe partial class SharedMemoryRing
{
    // The park count each kind of waiter had when this process last woke them (see WakeNewParks); a long that starts
    // below every int, so that the first wake-up is made whatever count the ring's life has reached.
    private long _dataParksWoken = long.MinValue;
    private long _spaceParksWoken = long.MinValue;

    /// <summary>Wakes readers parked for data, if any parked since the last wake-up. Callers have just published with a full fence (an interlocked store).</summary>
    internal void SignalDataAfterFence()
    {
        if (Volatile.Read(ref *DataWaiters) != 0) WakeNewParks(DataSequence, DataParks, ref _dataParksWoken);
    }

    /// <summary>Wakes writers parked for space, if any is parked. Callers have just released.</summary>
    internal void SignalSpace()
    {
        Interlocked.MemoryBarrier();
        SignalSpaceAfterFence();
    }

    /// <summary>As <see cref="SignalSpace"/>, when the release itself was a full fence (an interlocked store).</summary>
    internal void SignalSpaceAfterFence()
    {
        if (HasSpaceWaiters) WakeNewParks(SpaceSequence, SpaceParks, ref _spaceParksWoken);
    }

    /// <summary>
    /// Wakes the ends parked on <paramref name="sequence"/> unless every one of them is woken already: a woken end
    /// counts among the waiters until it runs again, which on a busy machine can be a whole scheduler slice, and a
    /// writer publishing meanwhile would otherwise make a wake-up syscall per commit (a million futex calls in a
    /// 3-process pipeline of 20 M small items on 2 cores).
    /// </summary>
    /// <remarks>
    /// An end that parks reads the sequence, then counts its park (<see cref="RingWait.Park"/>). So an end counted in
    /// the park count read here read the sequence before the increment below, and the increment ends its wait (it
    /// sleeps only while the sequence holds the value it read). The count is recorded once that wake-up is made, so a
    /// count equal to the recorded one means every end counted in it was woken already. An end that parks after the
    /// count was read makes it differ next time. Threads of this process racing here may record an older count over
    /// a newer one (at worst a wake-up more); another process's publisher keeps a record of its own (the same).
    /// </remarks>
    private static void WakeNewParks(int* sequence, int* parks, ref long woken)
    {
        var parked = Volatile.Read(ref *parks);
        if (parked == Volatile.Read(ref woken)) return;
        Wake(sequence);
        Volatile.Write(ref woken, parked); // only after the wake-up: a thread that skips because of it relies on a wake-up made
    }

    /// <summary>Completes the ring: normally when <paramref name="error"/> is null, else with that error.</summary>
    /// <returns>False when the ring was already completed.</returns>
    /// <exception cref="BufferCorruptedException">The state word holds no defined state (so the ring could never be completed).</exception>
    internal bool TryComplete(Exception? error)
    {
        var previous = Interlocked.CompareExchange(ref *StateWord, error is null ? RingState.Completed : RingState.CompletingWithError, RingState.Open);
        if (previous != RingState.Open)
        {
            ThrowIfStateInvalid(previous);
            return false;
        }
        if (error is not null)
        {
            WriteError(error);
            Volatile.Write(ref *StateWord, RingState.CompletedWithError);
        }
        WakeEveryone();
        return true;
    }

    internal void WakeEveryone()
    {
        Wake(DataSequence);
        Wake(SpaceSequence);
    }

    /// <summary>
    /// Wakes every end parked on <paramref name="sequence"/>, in any process: moves the sequence first, since a park
    /// sleeps only while the sequence holds the value it read (a bare futex wake in the instant before an end's wait
    /// would be lost, for a park slice).
    /// </summary>
    internal static void Wake(int* sequence)
    {
        Interlocked.Increment(ref *sequence);
        Futex.WakeAll(sequence);
    }

    /// <summary>The error the ring was completed with, rebuilt from shared memory (bounds-checked).</summary>
    internal RemoteBufferException ReadError()
    {
        if (_remoteError is not null) return _remoteError;
        var area = _base + RingLayout.ErrorAreaOffset;
        var length = *(int*)area;
        var limit = RingLayout.ErrorAreaBytes - 4;
        if ((uint)length > (uint)limit)
            throw new BufferCorruptedException($"Ring '{Name}': error length {length} is outside 0..{limit}.");
        var span = new ReadOnlySpan<byte>(area + 4, length);
        var type = ReadErrorString(ref span, "error type");
        var message = ReadErrorString(ref span, "error message");
        var stack = ReadErrorString(ref span, "error stack trace");
        return _remoteError = new RemoteBufferException(type, message, stack);
    }

    private string ReadErrorString(ref ReadOnlySpan<byte> span, string field)
    {
        if (span.Length < 4) throw new BufferCorruptedException($"Ring '{Name}': {field} length prefix needs 4 bytes, {span.Length} remain.");
        var length = BitConverter.ToInt32(span);
        span = span[4..];
        if ((uint)length > (uint)span.Length)
            throw new BufferCorruptedException($"Ring '{Name}': {field} length {length} is outside 0..{span.Length}.");
        var text = Encoding.UTF8.GetString(span[..length]);
        span = span[length..];
        return text;
    }

    private void WriteError(Exception error)
    {
        // An error that came from another ring (a bridge forwarding a completion between machines) keeps its original type and stack.
        var remote = error as RemoteBufferException;
        var stack = remote?.RemoteStackTrace ?? error.StackTrace ?? "";
        if (error.InnerException is not null) stack += Environment.NewLine + " ---> " + error.InnerException;
        var destination = new Span<byte>(_base + RingLayout.ErrorAreaOffset + 4, RingLayout.ErrorAreaBytes - 4);
        var written = 0;
        written += WriteErrorString(destination, written, remote?.RemoteType ?? error.GetType().FullName ?? error.GetType().Name, 512);
        written += WriteErrorString(destination, written, error.Message, 2048);
        written += WriteErrorString(destination, written, stack, destination.Length - written - 4);
        *(int*)(_base + RingLayout.ErrorAreaOffset) = written;
    }

    private static int WriteErrorString(Span<byte> destination, int at, string text, int maxBytes)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var length = Math.Max(0, Math.Min(bytes.Length, maxBytes));
        BitConverter.TryWriteBytes(destination[at..], length);
        bytes.AsSpan(0, length).CopyTo(destination[(at + 4)..]);
        return 4 + length;
    }
}
