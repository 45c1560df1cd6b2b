using Puma.Buffers.SharedMemory;

namespace Puma.Buffers.Tests.SharedMemory;

/// <summary>
/// The completion error carried in shared memory: what is written (type, message, stack with any
/// inner error, cut to the 8 KiB area) and how a corrupt area is reported, field by field; and how
/// a channel reader's TryRead and Completion see that error.
/// </summary>
public sealed class RingCompletionErrorTests
{
    private const int AreaBytes = RingLayout.ErrorAreaBytes - 4;

    [Fact]
    public void AThrownErrorCarriesItsStackTrace()
    {
        using var ring = RingTestSupport.Create();
        using var writer = ring.CreateWriter<int>();
        var thrown = Catch(ThrowForTheStack);
        Assert.True(writer.TryComplete(thrown));
        var remote = ring.ReadError();
        Assert.Equal(typeof(InvalidOperationException).FullName, remote.RemoteType);
        Assert.Equal("thrown", remote.Message);
        Assert.Equal(thrown.StackTrace, remote.RemoteStackTrace);
        Assert.Contains(nameof(ThrowForTheStack), remote.RemoteStackTrace);
    }

    [Fact]
    public void AnErrorNeverThrownHasAnEmptyStackTrace()
    {
        using var ring = RingTestSupport.Create();
        using var writer = ring.CreateWriter<int>();
        Assert.True(writer.TryComplete(new InvalidOperationException("never thrown")));
        Assert.Equal("", ring.ReadError().RemoteStackTrace);
    }

    [Fact]
    public void AnInnerErrorFollowsTheStackTrace()
    {
        using var ring = RingTestSupport.Create();
        using var writer = ring.CreateWriter<int>();
        var inner = new ArgumentException("inner cause");
        Assert.True(writer.TryComplete(new InvalidOperationException("outer", inner)));
        var remote = ring.ReadError();
        Assert.Equal("outer", remote.Message);
        Assert.Equal(Environment.NewLine + " ---> " + inner, remote.RemoteStackTrace);
    }

    [Fact]
    public unsafe void ALongStackTraceIsCutToFillTheAreaExactly()
    {
        using var ring = RingTestSupport.Create();
        using var writer = ring.CreateWriter<int>();
        Assert.True(writer.TryComplete(new LongStackException()));
        var type = typeof(LongStackException).FullName!;
        Assert.Equal(AreaBytes, *(int*)(ring.Base + RingLayout.ErrorAreaOffset));
        var remote = ring.ReadError();
        Assert.Equal(type, remote.RemoteType);
        Assert.Equal("long", remote.Message);
        Assert.Equal(new string('s', AreaBytes - (4 + type.Length) - (4 + 4) - 4), remote.RemoteStackTrace);
    }

    [Fact]
    public unsafe void AnErrorFillingTheWholeAreaIsRead()
    {
        using var ring = RingTestSupport.Create();
        var area = ring.Base + RingLayout.ErrorAreaOffset;
        *(int*)area = AreaBytes;
        *(int*)(area + 4) = 0; // type
        *(int*)(area + 8) = 0; // message
        *(int*)(area + 12) = AreaBytes - 12; // stack trace
        new Span<byte>(area + 16, AreaBytes - 12).Fill((byte)'a');
        var remote = ring.ReadError();
        Assert.Equal("", remote.RemoteType);
        Assert.Equal(new string('a', AreaBytes - 12), remote.RemoteStackTrace);
    }

    [Fact]
    public unsafe void AnErrorLengthPastTheAreaIsReported()
    {
        using var ring = RingTestSupport.Create();
        *(int*)(ring.Base + RingLayout.ErrorAreaOffset) = AreaBytes + 1;
        var error = Assert.Throws<BufferCorruptedException>(() => ring.ReadError());
        Assert.Equal($"Ring '{ring.Name}': error length {AreaBytes + 1} is outside 0..{AreaBytes}.", error.Message);
    }

    [Theory]
    [InlineData(12, 9999, 0, 0, "error type length 9999 is outside 0..8")]
    [InlineData(12, 0, 9999, 0, "error message length 9999 is outside 0..4")]
    [InlineData(12, 0, 0, 9999, "error stack trace length 9999 is outside 0..0")]
    [InlineData(4, 0, 0, 0, "error message length prefix needs 4 bytes, 0 remain")]
    [InlineData(10, 0, 0, 0, "error stack trace length prefix needs 4 bytes, 2 remain")]
    public unsafe void ACorruptErrorFieldIsNamed(int length, int typeLength, int messageLength, int stackLength, string expected)
    {
        using var ring = RingTestSupport.Create();
        var area = ring.Base + RingLayout.ErrorAreaOffset;
        *(int*)area = length;
        *(int*)(area + 4) = typeLength;
        *(int*)(area + 8) = messageLength;
        *(int*)(area + 12) = stackLength;
        var error = Assert.Throws<BufferCorruptedException>(() => ring.ReadError());
        Assert.Equal($"Ring '{ring.Name}': {expected}.", error.Message);
    }

    [Fact]
    public void TryReadOnADrainedRingCompletedWithAnErrorFaultsCompletionWithoutThrowing()
    {
        using var ring = RingTestSupport.Create();
        using var writer = ring.CreateWriter<int>();
        using var reader = ring.CreateReader<int>();
        Assert.True(writer.TryWrite(7));
        Assert.True(writer.TryComplete(new InvalidOperationException("late")));
        Assert.True(reader.TryRead(out var item));
        Assert.Equal(7, item);
        Assert.False(reader.Completion.IsCompleted);
        Assert.False(reader.TryRead(out _));
        Assert.True(reader.Completion.IsFaulted);
        var error = Assert.IsType<RemoteBufferException>(reader.Completion.Exception!.InnerException);
        Assert.Equal("late", error.Message);
    }

    [Fact]
    public unsafe void TryReadReportsACorruptErrorAreaAndFaultsCompletionWithIt()
    {
        using var ring = RingTestSupport.Create();
        using var writer = ring.CreateWriter<int>();
        using var reader = ring.CreateReader<int>();
        Assert.True(writer.TryComplete(new InvalidOperationException("late")));
        *(int*)(ring.Base + RingLayout.ErrorAreaOffset) = 99_999;
        var error = Assert.Throws<BufferCorruptedException>(() => reader.TryRead(out _));
        Assert.Equal($"Ring '{ring.Name}': error length 99999 is outside 0..{AreaBytes}.", error.Message);
        Assert.True(reader.Completion.IsFaulted);
        Assert.Same(error, reader.Completion.Exception!.InnerException);
    }

    private static void ThrowForTheStack() => throw new InvalidOperationException("thrown");

    private static Exception Catch(Action action)
    {
        try
        {
            action();
        }
        catch (Exception error)
        {
            return error;
        }
        throw new InvalidOperationException("expected a throw");
    }

    private sealed class LongStackException() : Exception("long")
    {
        public override string StackTrace => new('s', 20_000);
    }
}
