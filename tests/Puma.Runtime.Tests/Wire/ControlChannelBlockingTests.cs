using System.Buffers.Binary;
using System.Text;
using Puma.Runtime.Wire;

namespace Puma.Runtime.Tests.Wire;

/// <summary>
/// The blocking pair a child uses (<see cref="ControlChannel.Send"/>, <see cref="ControlChannel.Read"/>): the same
/// bytes on the wire as the async pair, the same frames back, the same errors.
/// </summary>
public sealed class ControlChannelBlockingTests
{
    [Fact]
    public async Task BlockingSendsAreReadByTheAsyncReaderAndAsyncSendsByTheBlockingReader()
    {
        var blocking = new MemoryStream();
        var channel = new ControlChannel(blocking);
        channel.Send(new ControlFrame(ControlMessageKind.Command, new byte[] { 1, 2, 3 }));
        channel.Send(ControlFrame.Empty(ControlMessageKind.Ping));

        var asynchronous = new MemoryStream();
        var other = new ControlChannel(asynchronous);
        await other.SendAsync(new ControlFrame(ControlMessageKind.Command, new byte[] { 1, 2, 3 }));
        await other.SendAsync(ControlFrame.Empty(ControlMessageKind.Ping));
        Assert.Equal(asynchronous.ToArray(), blocking.ToArray());
        Assert.Equal(new byte[] { 3, 0, 0, 0, (byte)ControlMessageKind.Command, 1, 2, 3, 0, 0, 0, 0, (byte)ControlMessageKind.Ping }, blocking.ToArray());

        blocking.Position = 0;
        var first = await channel.ReadAsync();
        Assert.Equal(ControlMessageKind.Command, first!.Kind);
        Assert.Equal(new byte[] { 1, 2, 3 }, first.Payload.ToArray());
        asynchronous.Position = 0;
        var read = other.Read();
        Assert.Equal(ControlMessageKind.Command, read!.Kind);
        Assert.Equal(new byte[] { 1, 2, 3 }, read.Payload.ToArray());
        var ping = other.Read();
        Assert.Equal(ControlMessageKind.Ping, ping!.Kind);
        Assert.True(ping.Payload.IsEmpty);
        Assert.Null(other.Read());
    }

    [Fact]
    public void ConcurrentBlockingSendsNeverInterleave()
    {
        var stream = new MemoryStream();
        var channel = new ControlChannel(stream);
        const int Senders = 8, PerSender = 200;
        Parallel.For(0, Senders, new ParallelOptions { MaxDegreeOfParallelism = Senders }, s =>
        {
            for (var i = 0; i < PerSender; i++)
                channel.Send(new ControlFrame(ControlMessageKind.Status, Encoding.UTF8.GetBytes(new string((char)('a' + s), 1 + ((i * 37) % 3000)))));
        });

        stream.Position = 0;
        var counts = new int[Senders];
        while (channel.Read() is { } frame)
        {
            var text = Encoding.UTF8.GetString(frame.Payload.Span);
            Assert.All(text, c => Assert.Equal(text[0], c));
            counts[text[0] - 'a']++;
        }

        Assert.All(counts, c => Assert.Equal(PerSender, c));
    }

    [Fact]
    public void TheBlockingReaderNamesTheSameErrorsAndACorruptLengthLeavesTheChannelUnusable()
    {
        var bytes = new byte[5];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, 0x7A000000);
        bytes[4] = (byte)ControlMessageKind.Status;
        var channel = new ControlChannel(new MemoryStream(bytes));
        var error = Assert.Throws<InvalidDataException>(channel.Read);
        Assert.Equal(
            "Corrupt control frame: payload length 2046820352 is outside 0..67108864 bytes (limit 64 MiB). " +
            "The stream is not a Puma control channel or is out of sync.",
            error.Message);
        var broken = Assert.Throws<InvalidOperationException>(channel.Read);
        Assert.Equal("The control channel is unusable: a corrupt frame length 2046820352 was read.", broken.Message);
        Assert.Throws<InvalidOperationException>(() => channel.Send(ControlFrame.Empty(ControlMessageKind.Ping)));

        var unknown = Assert.Throws<InvalidDataException>(new ControlChannel(new MemoryStream([0, 0, 0, 0, 200])).Read);
        Assert.Equal("Corrupt control frame: unknown kind 200 (payload length 0).", unknown.Message);

        var header = Assert.Throws<EndOfStreamException>(new ControlChannel(new MemoryStream([3, 0])).Read);
        Assert.Equal("The control stream ended inside a frame header (2 of 5 bytes).", header.Message);

        var payload = Assert.Throws<EndOfStreamException>(new ControlChannel(new MemoryStream([10, 0, 0, 0, (byte)ControlMessageKind.Reply, 1, 2])).Read);
        Assert.Equal("The control stream ended inside the payload of a Reply frame of 10 bytes.", payload.Message);
    }

    [Fact]
    public void ABlockingSendOfMoreThanTheLimitIsRefusedAndTheLimitItselfPasses()
    {
        var stream = new MemoryStream();
        var channel = new ControlChannel(stream, maxPayloadLength: 16);
        channel.Send(new ControlFrame(ControlMessageKind.Log, new byte[16]));
        var error = Assert.Throws<ArgumentException>(() => channel.Send(new ControlFrame(ControlMessageKind.Log, new byte[17])));
        Assert.Equal("Control frame Log has a payload of 17 bytes, more than the limit of 16 bytes. (Parameter 'frame')", error.Message);
        Assert.Equal(5 + 16, stream.Length);
    }
}
