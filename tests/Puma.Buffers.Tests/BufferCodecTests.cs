using System.Buffers;
using System.Buffers.Binary;
using Puma.Buffers.Codecs;

namespace Puma.Buffers.Tests;

public class BufferCodecTests
{
    /// <summary>A codec that knows its size and implements only the span encoder.</summary>
    private sealed class PairCodec(bool knowsSize) : IBufferCodec<(int A, int B)>
    {
        public bool TryGetByteCount((int A, int B) value, out int byteCount)
        {
            byteCount = knowsSize ? 8 : 0;
            return knowsSize;
        }

        public void Encode((int A, int B) value, Span<byte> destination)
        {
            BinaryPrimitives.WriteInt32LittleEndian(destination, value.A);
            BinaryPrimitives.WriteInt32LittleEndian(destination[4..], value.B);
        }

        public (int A, int B) Decode(ReadOnlySpan<byte> source) =>
            (BinaryPrimitives.ReadInt32LittleEndian(source), BinaryPrimitives.ReadInt32LittleEndian(source[4..]));
    }

    [Fact]
    public void TheDefaultBufferWriterEncoderWritesWhatTheSpanEncoderWrites()
    {
        IBufferCodec<(int, int)> codec = new PairCodec(knowsSize: true);
        var writer = new ArrayBufferWriter<byte>();
        codec.Encode((7, -3), writer);
        Assert.Equal(8, writer.WrittenCount);
        Assert.Equal((7, -3), codec.Decode(writer.WrittenSpan));
    }

    [Fact]
    public void TheDefaultBufferWriterEncoderRefusesACodecThatDoesNotKnowTheSize()
    {
        IBufferCodec<(int, int)> codec = new PairCodec(knowsSize: false);
        var e = Assert.Throws<NotSupportedException>(() => codec.Encode((1, 2), new ArrayBufferWriter<byte>()));
        Assert.Contains("PairCodec", e.Message);
    }
}
