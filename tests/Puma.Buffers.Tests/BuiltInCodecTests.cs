using System.Buffers;
using Puma.Buffers.Codecs;

namespace Puma.Buffers.Tests;

/// <summary>
/// Each built-in codec: its byte count is exact, both encoders write the same bytes, decoding gives
/// the item back, and bytes of the wrong size are refused with a message naming the size.
/// </summary>
public class BuiltInCodecTests
{
    private readonly record struct Sample(int Id, double Value);

    private static byte[] EncodeToSpan<T>(IBufferCodec<T> codec, T value)
    {
        Assert.True(codec.TryGetByteCount(value, out var count));
        var bytes = new byte[count];
        codec.Encode(value, bytes);
        return bytes;
    }

    private static byte[] EncodeToWriter<T>(IBufferCodec<T> codec, T value)
    {
        var writer = new ArrayBufferWriter<byte>();
        codec.Encode(value, writer);
        return writer.WrittenSpan.ToArray();
    }

    private static void AssertRoundTrip<T>(IBufferCodec<T> codec, T value, byte[] expectedBytes, Func<T, T, bool> equal)
    {
        Assert.Equal(expectedBytes, EncodeToSpan(codec, value));
        Assert.Equal(expectedBytes, EncodeToWriter(codec, value));
        Assert.True(equal(value, codec.Decode(expectedBytes)));
    }

    [Fact]
    public void AByteArrayIsCopiedAsIs()
    {
        byte[] value = [1, 2, 3, 250];
        AssertRoundTrip(new ByteArrayCodec(), value, value, (a, b) => a.AsSpan().SequenceEqual(b));
        Assert.Empty(new ByteArrayCodec().Decode([]));
    }

    [Fact]
    public void ReadOnlyMemoryIsCopiedAsIsAndDecodesIntoAFreshArray()
    {
        byte[] backing = [9, 1, 2, 3, 9];
        var value = backing.AsMemory(1, 3);
        AssertRoundTrip<ReadOnlyMemory<byte>>(new ReadOnlyMemoryCodec(), value, [1, 2, 3], (a, b) => a.Span.SequenceEqual(b.Span));

        var source = new byte[] { 4, 5 };
        var decoded = new ReadOnlyMemoryCodec().Decode(source);
        source[0] = 0;
        Assert.Equal(new byte[] { 4, 5 }, decoded.ToArray());
    }

    [Fact]
    public void AStringIsCopiedAsUtf16CodeUnits()
    {
        AssertRoundTrip(new StringCodec(), "Aé", [0x41, 0x00, 0xE9, 0x00], (a, b) => a == b);
        Assert.Equal("", new StringCodec().Decode([]));
    }

    [Fact]
    public void AStringOfAnOddByteCountIsRefused()
    {
        var e = Assert.Throws<BufferCorruptedException>(() => new StringCodec().Decode([0x41, 0x00, 0x42]));
        Assert.Equal("A string message is 3 bytes, not a multiple of 2 (UTF-16).", e.Message);
    }

    [Fact]
    public void AnUnmanagedStructIsCopiedAsItsRawBytes()
    {
        var codec = new UnmanagedCodec<Sample>();
        var value = new Sample(7, 2.5);
        var bytes = EncodeToSpan(codec, value);
        Assert.Equal(16, bytes.Length);
        Assert.Equal(7, BitConverter.ToInt32(bytes, 0));
        Assert.Equal(2.5, BitConverter.ToDouble(bytes, 8));
        AssertRoundTrip(codec, value, bytes, (a, b) => a == b);
    }

    [Fact]
    public void AnUnmanagedStructOfTheWrongSizeIsRefused()
    {
        var e = Assert.Throws<BufferCorruptedException>(() => new UnmanagedCodec<long>().Decode(new byte[7]));
        Assert.Equal("A System.Int64 message is 7 bytes, not 8.", e.Message);
        Assert.Throws<BufferCorruptedException>(() => new UnmanagedCodec<long>().Decode(new byte[9]));
    }

    [Fact]
    public void AnArrayOfUnmanagedStructsIsCopiedAsItsRawBytes()
    {
        var codec = new UnmanagedArrayCodec<short>();
        AssertRoundTrip(codec, new short[] { 1, -2, 256 }, [1, 0, 0xFE, 0xFF, 0, 1], (a, b) => a.AsSpan().SequenceEqual(b));
        Assert.Empty(codec.Decode([]));
    }

    [Fact]
    public void AnArrayMessageThatIsNotAWholeNumberOfItemsIsRefused()
    {
        var e = Assert.Throws<BufferCorruptedException>(() => new UnmanagedArrayCodec<int>().Decode(new byte[10]));
        Assert.Equal("A System.Int32[] message is 10 bytes, not a multiple of 4.", e.Message);
    }

    [Fact]
    public void TypesWithReferencesCannotBeCopiedAsBytes()
    {
        var single = Assert.Throws<NotSupportedException>(() => new UnmanagedCodec<KeyValuePair<int, string>>());
        Assert.Equal("System.Collections.Generic.KeyValuePair`2[System.Int32,System.String] contains references and cannot be copied as bytes.", single.Message);
        var array = Assert.Throws<NotSupportedException>(() => new UnmanagedArrayCodec<KeyValuePair<int, string>>());
        Assert.Equal(single.Message, array.Message);
    }

    [Fact]
    public void JsonCannotEncodeIntoASpanOfAKnownSize()
    {
        var codec = new JsonCodec<int[]>();
        Assert.False(codec.TryGetByteCount([1, 2], out var count));
        Assert.Equal(0, count);
        var e = Assert.Throws<NotSupportedException>(() => codec.Encode([1, 2], new byte[16]));
        Assert.Equal("JsonCodec does not know sizes up front; use the IBufferWriter overload.", e.Message);
        Assert.Equal("[1,2]"u8.ToArray(), EncodeToWriter(codec, [1, 2]));
    }

    [Fact]
    public void ANullCodecCannotBeRegistered() =>
        Assert.Equal("codec", Assert.Throws<ArgumentNullException>(() => CodecResolver.Register<NeverRegistered>(null!)).ParamName);

    [Fact]
    public void ACodecAttributeNamingACodecOfAnotherTypeIsRefused()
    {
        var e = Assert.Throws<TypeInitializationException>(() => CodecResolver.Resolve<WronglyTagged>());
        var inner = Assert.IsType<InvalidOperationException>(e.InnerException);
        Assert.Equal("[BufferCodec(StringCodec)] on WronglyTagged: the codec must implement IBufferCodec<WronglyTagged>.", inner.Message);
    }

    private sealed class NeverRegistered;

    [BufferCodec(typeof(StringCodec))]
    private sealed class WronglyTagged;
}
