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
