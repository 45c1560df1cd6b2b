using System.Buffers.Binary;
using Puma.Runtime.Wire;

namespace Puma.Runtime.Tests.Wire;

/// <summary>The control channel's exact errors, and that a channel out of step with its peer stays unusable.</summary>
public sealed class ControlChannelErrorTests
{
    [Fact]
    public void BadArgumentsAreNamed()
    {
        Assert.Equal("stream", Assert.Throws<ArgumentNullException>(() => new ControlChannel(null!)).ParamName);
        Assert.Equal("maxPayloadLength", Assert.Throws<ArgumentOutOfRangeException>(() => new ControlChannel(new MemoryStream(), 0)).ParamName);
    }

    [Fact]
    public async Task APayloadOfExactlyTheLimitIsSentAndReadAndOneMoreByteIsRefused()
    {
        var stream = new MemoryStream();
        var channel = new ControlChannel(stream, maxPayloadLength: 16);
        await channel.SendAsync(new ControlFrame(ControlMessageKind.Log, new byte[16]));
        stream.Position = 0;
        var frame = await new ControlChannel(stream, maxPayloadLength: 16).ReadAsync();
        Assert.Equal(16, frame!.Payload.Length);

        var error = await Assert.ThrowsAsync<ArgumentException>(async () => await channel.SendAsync(new ControlFrame(ControlMessageKind.Log, new byte[17])));
        Assert.Equal("Control frame Log has a payload of 17 bytes, more than the limit of 16 bytes. (Parameter 'frame')", error.Message);
    }

    [Fact]
    public async Task ACorruptLengthIsNamedWithTheLimitAndLeavesTheChannelUnusable()
    {
        var bytes = new byte[5];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, 0x7A000000);
        bytes[4] = (byte)ControlMessageKind.Status;
        var channel = new ControlChannel(new MemoryStream(bytes));

        var error = await Assert.ThrowsAsync<InvalidDataException>(async () => await channel.ReadAsync());
        Assert.Equal(
            "Corrupt control frame: payload length 2046820352 is outside 0..67108864 bytes (limit 64 MiB). " +
            "The stream is not a Puma control channel or is out of sync.",
            error.Message);

        var again = await Assert.ThrowsAsync<InvalidOperationException>(async () => await channel.ReadAsync());
        Assert.Equal("The control channel is unusable: a corrupt frame length 2046820352 was read.", again.Message);
        var send = await Assert.ThrowsAsync<InvalidOperationException>(async () => await channel.SendAsync(ControlFrame.Empty(ControlMessageKind.Ping)));
        Assert.Equal(again.Message, send.Message);
    }

    [Fact]
    public async Task AnUnknownKindIsNamedAndLeavesTheChannelUnusable()
    {
        var channel = new ControlChannel(new MemoryStream([3, 0, 0, 0, 200, 1, 2, 3]));
        var error = await Assert.ThrowsAsync<InvalidDataException>(async () => await channel.ReadAsync());
        Assert.Equal("Corrupt control frame: unknown kind 200 (payload length 3).", error.Message);

        var again = await Assert.ThrowsAsync<InvalidOperationException>(async () => await channel.ReadAsync());
        Assert.Equal("The control channel is unusable: an unknown frame kind 200 was read.", again.Message);
    }

    [Fact]
    public async Task AStreamEndingInsideAHeaderSaysHowFarItGot()
    {
        var error = await Assert.ThrowsAsync<EndOfStreamException>(async () => await new ControlChannel(new MemoryStream([3, 0])).ReadAsync());
        Assert.Equal("The control stream ended inside a frame header (2 of 5 bytes).", error.Message);
    }

    [Fact]
    public async Task ACancelledReadLeavesTheChannelUnusable()
    {
        var channel = new ControlChannel(new StalledStream());
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await channel.ReadAsync(cancel.Token));

        var again = await Assert.ThrowsAsync<InvalidOperationException>(async () => await channel.ReadAsync());
        Assert.Equal("The control channel is unusable: a read was cancelled in the middle of a frame.", again.Message);
    }

    [Fact]
    public async Task ACancelledSendLeavesTheChannelUnusable()
    {
        var channel = new ControlChannel(new StalledStream());
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await channel.SendAsync(ControlFrame.Empty(ControlMessageKind.Ping), cancel.Token));

        var again = await Assert.ThrowsAsync<InvalidOperationException>(async () => await channel.SendAsync(ControlFrame.Empty(ControlMessageKind.Ping)));
        Assert.Equal("The control channel is unusable: a send was cancelled in the middle of a frame.", again.Message);
    }

    /// <summary>A stream whose reads and writes wait until cancelled.</summary>
    private sealed class StalledStream : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            await Task.Delay(Timeout.Infinite, cancellationToken);

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
