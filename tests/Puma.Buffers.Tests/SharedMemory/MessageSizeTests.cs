namespace Puma.Buffers.Tests.SharedMemory;

/// <summary>The largest message of a ring: half its capacity (8-byte aligned) less the 16-byte record header.</summary>
public sealed class MessageSizeTests
{
    [Theory]
    [InlineData(256, 112)]
    [InlineData(1024, 496)]
    [InlineData(4096, 2032)]
    [InlineData(1 << 20, (1 << 19) - 16)]
    public void TheLargestMessageIsHalfTheRingLessTheRecordHeader(long capacity, int largest)
    {
        using var ring = RingTestSupport.Create(capacity: capacity);
        Assert.Equal(largest, ring.MaxMessageBytes);
        using var writer = ring.CreateWriter<byte[]>();
        using var reader = ring.CreateReader<byte[]>();
        var payload = Enumerable.Range(0, largest).Select(i => (byte)i).ToArray();
        Assert.True(writer.TryWrite(payload));
        Assert.True(reader.TryRead(out var read));
        Assert.Equal(payload, read);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => writer.TryWrite(new byte[largest + 1]));
        Assert.Contains((largest + 1).ToString(), error.Message);
        Assert.Contains(largest.ToString(), error.Message);
    }
}
