using System.Runtime.InteropServices;

namespace Puma.Bench.PerfTest;

/// <summary>
/// The layout of a perf-test message of slot-bytes bytes: sequence number (8 bytes), the writer's
/// start timestamp (8, <see cref="System.Diagnostics.Stopwatch"/> ticks, a clock shared by the
/// processes on Linux), kind (8: warm-up, data or end of stream), the payload (a fixed pseudo-random
/// pattern taken at offset <c>seq % 251</c>), and the sequence number again in the last 8 bytes.
/// The writer always copies the whole payload in; a reader always checks both sequence numbers
/// (loss, duplication, a torn message) and, with --verify, compares the whole payload.
/// </summary>
internal sealed class PerfTestMessage
{
    /// <summary>Header bytes before the payload.</summary>
    public const int HeaderBytes = 24;

    /// <summary>Smallest slot: header plus the trailing sequence number.</summary>
    public const int MinBytes = HeaderBytes + 8;

    /// <summary>Kind of a data message.</summary>
    public const long KindData = 0;

    /// <summary>
    /// Kind of a warm-up message, sent before the measurement (one ring's worth: every page of the
    /// ring is touched and the readers' code is compiled); its timestamp field holds the number of
    /// warm-up messages, its sequence number runs from 0 separately.
    /// </summary>
    public const long KindWarmUp = 2;

    /// <summary>Kind of the end-of-stream message; its sequence number is the number of data messages sent.</summary>
    public const long KindEnd = 1;

    private const int PatternPeriod = 251;
    private readonly byte[] _pattern;
    private readonly int _size;

    /// <summary>Prepares the pattern for messages of <paramref name="size"/> bytes (same seed in every process).</summary>
    public PerfTestMessage(int size)
    {
        if (size < MinBytes) throw new ArgumentOutOfRangeException(nameof(size), size, $"a perf-test message needs at least {MinBytes} bytes");
        _size = size;
        _pattern = GC.AllocateUninitializedArray<byte>(size - MinBytes + PatternPeriod);
        new Random(20251205).NextBytes(_pattern);
    }

    /// <summary>Fills <paramref name="message"/> as message <paramref name="seq"/>.</summary>
    public void Write(Span<byte> message, long seq, long writerStart, long kind)
    {
        MemoryMarshal.Write(message, seq);
        MemoryMarshal.Write(message[8..], writerStart);
        MemoryMarshal.Write(message[16..], kind);
        _pattern.AsSpan((int)(seq % PatternPeriod), _size - MinBytes).CopyTo(message[HeaderBytes..]);
        MemoryMarshal.Write(message[(_size - 8)..], seq);
    }

    /// <summary>The sequence number in the header.</summary>
    public static long Sequence(ReadOnlySpan<byte> message) => MemoryMarshal.Read<long>(message);

    /// <summary>The writer's start timestamp.</summary>
    public static long WriterStart(ReadOnlySpan<byte> message) => MemoryMarshal.Read<long>(message[8..]);

    /// <summary>The kind (<see cref="KindData"/> or <see cref="KindEnd"/>).</summary>
    public static long Kind(ReadOnlySpan<byte> message) => MemoryMarshal.Read<long>(message[16..]);

    /// <summary>
    /// True when the message has the right size and the same sequence number at both ends, and,
    /// with <paramref name="full"/>, the payload is exactly the pattern for its sequence number.
    /// </summary>
    public bool Check(ReadOnlySpan<byte> message, bool full)
    {
        if (message.Length != _size) return false;
        var seq = Sequence(message);
        if (MemoryMarshal.Read<long>(message[(_size - 8)..]) != seq || seq < 0) return false;
        return !full || message[HeaderBytes..(_size - 8)].SequenceEqual(_pattern.AsSpan((int)(seq % PatternPeriod), _size - MinBytes));
    }
}
