using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Puma.Buffers.Codecs;

namespace Puma.Demo.Pipeline;

/// <summary>Frames cross processes as a 24-byte header (seq, timestamp, gain, sample count) and the raw float samples.</summary>
public sealed class FrameCodec : IBufferCodec<Frame>
{
    private const int HeaderBytes = 24;

    public bool TryGetByteCount(Frame value, out int byteCount)
    {
        byteCount = HeaderBytes + value.Samples.Length * sizeof(float);
        return true;
    }

    public void Encode(Frame value, Span<byte> destination)
    {
        BinaryPrimitives.WriteInt64LittleEndian(destination, value.Seq);
        BinaryPrimitives.WriteInt64LittleEndian(destination[8..], value.SentTimestamp);
        BinaryPrimitives.WriteSingleLittleEndian(destination[16..], value.Gain);
        BinaryPrimitives.WriteInt32LittleEndian(destination[20..], value.Samples.Length);
        MemoryMarshal.AsBytes(value.Samples.AsSpan()).CopyTo(destination[HeaderBytes..]);
    }

    public Frame Decode(ReadOnlySpan<byte> source)
    {
        var count = BinaryPrimitives.ReadInt32LittleEndian(source[20..]);
        if (count < 0 || HeaderBytes + (long)count * sizeof(float) > source.Length)
            throw new InvalidDataException($"Frame record of {source.Length} bytes claims {count} samples.");
        var samples = MemoryMarshal.Cast<byte, float>(source.Slice(HeaderBytes, count * sizeof(float))).ToArray();
        return new Frame(BinaryPrimitives.ReadInt64LittleEndian(source), BinaryPrimitives.ReadInt64LittleEndian(source[8..]),
            BinaryPrimitives.ReadSingleLittleEndian(source[16..]), samples);
    }
}
