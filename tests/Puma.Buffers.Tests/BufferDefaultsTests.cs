using Puma.Buffers.Codecs;
using Puma.Buffers.SharedMemory;

namespace Puma.Buffers.Tests;

/// <summary>README promises about a buffer's defaults: its ring size, and the codec an item type names.</summary>
public class BufferDefaultsTests
{
    /// <summary>capacityBytes defaults to capacity x 16 KiB, clamped to 4..256 MiB; an explicit value is kept.</summary>
    [Theory]
    [InlineData(1, null, 4L << 20)]
    [InlineData(64, null, 4L << 20)]
    [InlineData(256, null, 4L << 20)]
    [InlineData(300, null, 4_915_200L)]
    [InlineData(16_384, null, 256L << 20)]
    [InlineData(100_000, null, 256L << 20)]
    [InlineData(4, 4096L, 4096L)]
    [InlineData(100_000, 1L << 30, 1L << 30)]
    public void CapacityBytesDefaultsTo16KiBPerItemWithinFourTo256MiB(int capacity, long? capacityBytes, long expected) =>
        Assert.Equal(expected, new PumaBuffer<int>("b", capacity, capacityBytes: capacityBytes).CapacityBytes);

    /// <summary>
    /// A ring made without a size is 4 MiB, the buffers' smallest default, and takes items of up to 2,097,136 bytes
    /// (half of it less the 16-byte record header), as the README says; one byte more is refused with the limit named.
    /// </summary>
    [Fact]
    public void ARingMadeWithoutASizeIsFourMiBAndTakesItemsOfUpToHalfOfIt()
    {
        Assert.Equal(4L << 20, new SharedMemoryRingOptions().CapacityBytes);
        using var ring = SharedMemoryRing.Create(new SharedMemoryRingOptions());
        Assert.Equal(4L << 20, ring.CapacityBytes);
        Assert.Equal(2_097_136, ring.MaxMessageBytes);
        using var writer = ring.OpenWriter();
        Assert.True(writer.TryClaim(2_097_136, out var span));
        Assert.Equal(2_097_136, span.Length);
        writer.Abort();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => writer.TryClaim(2_097_137, out _));
        Assert.Contains("an item of 2097137 bytes exceeds the largest item of 2097136 bytes", error.Message);
    }

    [Fact]
    public void ATypesBufferCodecAttributeNamesItsCodec()
    {
        Assert.IsType<TaggedCodec>(CodecResolver.Resolve<Tagged>());
        // Without the attribute the same shape would go as JSON.
        Assert.IsType<JsonCodec<Untagged>>(CodecResolver.Resolve<Untagged>());
    }

    [Fact]
    public void ARingEncodesAnAttributedTypeWithItsCodec()
    {
        using var ring = SharedMemory.RingTestSupport.Create(capacity: 4096);
        using var writer = ring.CreateWriter<Tagged>();
        using var reader = ring.CreateReader<Tagged>();
        Assert.True(writer.TryWrite(new Tagged { Value = 0x01020304 }));
        Assert.True(reader.Raw.TryAcquire(out var record));
        Assert.Equal(new byte[] { (byte)'T', 4, 3, 2, 1 }, record.ToArray());
        reader.Raw.Release();
        Assert.True(writer.TryWrite(new Tagged { Value = 42 }));
        Assert.True(reader.TryRead(out var item));
        Assert.Equal(42, item.Value);
    }

    [BufferCodec(typeof(TaggedCodec))]
    public sealed class Tagged
    {
        public int Value { get; set; }
    }

    public sealed class Untagged
    {
        public int Value { get; set; }
    }

    /// <summary>"T" then the value's 4 bytes, little-endian.</summary>
    public sealed class TaggedCodec : IBufferCodec<Tagged>
    {
        public bool TryGetByteCount(Tagged value, out int byteCount)
        {
            byteCount = 5;
            return true;
        }

        public void Encode(Tagged value, Span<byte> destination)
        {
            destination[0] = (byte)'T';
            BitConverter.TryWriteBytes(destination[1..], value.Value);
        }

        public Tagged Decode(ReadOnlySpan<byte> source) =>
            source.Length == 5 && source[0] == 'T'
                ? new Tagged { Value = BitConverter.ToInt32(source[1..]) }
                : throw new InvalidDataException("not a tagged record");
    }
}
