using System.Buffers.Binary;
using System.Threading.Channels;
using Puma.Buffers;
using Puma.Runnables;

namespace Puma.Runtime.Tests.Runnables;

/// <summary>The frames of the leased tests: 8 bytes of sequence number, then byte i = (seq + i) mod 256.</summary>
public static class LeasedFrames
{
    public static void Fill(long seq, Span<byte> frame)
    {
        BinaryPrimitives.WriteInt64LittleEndian(frame, seq);
        for (var i = 8; i < frame.Length; i++)
            frame[i] = (byte)(seq + i);
    }

    public static long SeqOf(ReadOnlySpan<byte> frame) => BinaryPrimitives.ReadInt64LittleEndian(frame);

    /// <summary>True when the body is that of <paramref name="seq"/>, each byte plus <paramref name="added"/>.</summary>
    public static bool BodyMatches(ReadOnlySpan<byte> frame, long seq, byte added)
    {
        for (var i = 8; i < frame.Length; i++)
        {
            if (frame[i] != (byte)(seq + i + added))
                return false;
        }
        return true;
    }
}

/// <summary>Writes Count frames of Size bytes, each claimed in the output and filled in place.</summary>
public sealed class ClaimingProducer : Runnable
{
    private long _next;

    public required ChannelWriter<byte[]> Output { get; init; }

    public long Count { get; set; } = 100;

    public int Size { get; set; } = 1024;

    protected override void Configure(Handlers on) => on
        .Produce(async ct =>
        {
            if (_next >= Count)
                return false;
            var frame = await Output.ClaimAsync(Size, ct);
            LeasedFrames.Fill(_next++, frame.Span);
            Output.Commit();
            return true;
        });
}

/// <summary>
/// Forwards every frame with one copy: leases the input, claims the output, copies the sequence number
/// and the body plus one. Throws on frame FailAt (if >= 0).
/// </summary>
public sealed class LeasedIncrement : Runnable
{
    public required ChannelReader<byte[]> Input { get; init; }

    public required ChannelWriter<byte[]> Output { get; init; }

    public long FailAt { get; set; } = -1;

    protected override void Configure(Handlers on) => on
        .InputLeased(Input, async (frame, ct) =>
        {
            if (LeasedFrames.SeqOf(frame.Span) == FailAt)
                throw new InvalidOperationException($"leased increment failed at frame {FailAt}");
            var target = await Output.ClaimAsync(frame.Length, ct);
            Increment(frame.Span, target.Span);
            Output.Commit();
        })
        .Request<GetPid, int>(_ => Environment.ProcessId);

    private static void Increment(ReadOnlySpan<byte> from, Span<byte> to)
    {
        from[..8].CopyTo(to);
        for (var i = 8; i < from.Length; i++)
            to[i] = (byte)(from[i] + 1);
    }
}

/// <summary>
/// Checks every frame on a synchronous leased handler (order, body plus Added) and writes one Summary
/// when its input completes. Throws on frame FailAt (if >= 0).
/// </summary>
public sealed class LeasedChecker : Runnable
{
    private long _count, _sum, _last = -1;
    private bool _inOrder = true;

    public required ChannelReader<byte[]> Input { get; init; }

    public required ChannelWriter<Summary> Output { get; init; }

    public byte Added { get; set; }

    public long FailAt { get; set; } = -1;

    protected override void Configure(Handlers on) => on
        .InputLeased(Input, frame =>
        {
            var seq = LeasedFrames.SeqOf(frame);
            if (seq == FailAt)
                throw new InvalidOperationException($"leased checker failed at frame {FailAt}");
            _inOrder &= seq == _last + 1 && LeasedFrames.BodyMatches(frame, seq, Added);
            _last = seq;
            _count++;
            _sum += seq;
        })
        .InputCompleted(Input, async (error, ct) =>
        {
            if (error is not null)
                throw error;
            await Output.WriteAsync(new Summary(Name, _count, _sum, _inOrder), ct);
        });
}

/// <summary>Registers a leased input on a item type without a byte layout: fails at Configure.</summary>
public sealed class LeasedFrameReader : Runnable
{
    public required ChannelReader<Frame> Input { get; init; }

    protected override void Configure(Handlers on) => on.InputLeased(Input, _ => { });
}

/// <summary>Bytes rented from the shared array pool, exactly Length long.</summary>
public sealed class RentedBytes(int length) : System.Buffers.IMemoryOwner<byte>
{
    private byte[]? _array = System.Buffers.ArrayPool<byte>.Shared.Rent(length);

    public Memory<byte> Memory => _array.AsMemory(0, length);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _array, null) is { } array)
            System.Buffers.ArrayPool<byte>.Shared.Return(array);
    }
}

/// <summary>Writes Count pooled frames of Size bytes (the buffer owns each once written).</summary>
public sealed class OwnerProducer : Runnable
{
    private long _next;

    public required ChannelWriter<System.Buffers.IMemoryOwner<byte>> Output { get; init; }

    public long Count { get; set; } = 100;

    public int Size { get; set; } = 256;

    protected override void Configure(Handlers on) => on
        .Produce(async ct =>
        {
            if (_next >= Count)
                return false;
            var owner = new RentedBytes(Size);
            LeasedFrames.Fill(_next++, owner.Memory.Span);
            await Output.WriteAsync(owner, ct);
            return true;
        });
}

/// <summary>Keeps every owner it reads past its handler, checks them all when the input completes, disposes them and writes one Summary.</summary>
public sealed class OwnerKeeper : Runnable
{
    private readonly List<System.Buffers.IMemoryOwner<byte>> _kept = new();

    public required ChannelReader<System.Buffers.IMemoryOwner<byte>> Input { get; init; }

    public required ChannelWriter<Summary> Output { get; init; }

    public int Size { get; set; } = 256;

    protected override void Configure(Handlers on) => on
        .Input(Input, owner => _kept.Add(owner))
        .InputCompleted(Input, async (error, ct) =>
        {
            if (error is not null)
                throw error;
            var inOrder = true;
            long sum = 0;
            for (var i = 0; i < _kept.Count; i++)
            {
                var frame = _kept[i].Memory.Span;
                inOrder &= frame.Length == Size && LeasedFrames.SeqOf(frame) == i && LeasedFrames.BodyMatches(frame, i, 0);
                sum += LeasedFrames.SeqOf(frame);
                _kept[i].Dispose();
            }
            await Output.WriteAsync(new Summary(Name, _kept.Count, sum, inOrder), ct);
        });
}
