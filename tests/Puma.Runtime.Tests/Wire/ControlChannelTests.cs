using System.Buffers.Binary;
using System.Text;
using Puma.Runtime.Child;
using Puma.Runtime.Wire;

namespace Puma.Runtime.Tests.Wire;

public sealed class ControlChannelTests
{
    [Fact]
    public async Task Frames_round_trip_and_end_of_file_reads_null()
    {
        var stream = new MemoryStream();
        var channel = new ControlChannel(stream);
        var start = new ChildStartedMessage(1234);
        await channel.SendAsync(ControlFrame.Create(ControlMessageKind.Started, start, WireJsonContext.Default.ChildStartedMessage));
        await channel.SendAsync(ControlFrame.Empty(ControlMessageKind.Ping));
        await channel.SendAsync(new ControlFrame(ControlMessageKind.Command, new byte[] { 1, 2, 3 }));

        stream.Position = 0;
        var first = await channel.ReadAsync();
        Assert.Equal(ControlMessageKind.Started, first!.Kind);
        Assert.Equal(start, first.Read(WireJsonContext.Default.ChildStartedMessage));
        var second = await channel.ReadAsync();
        Assert.Equal(ControlMessageKind.Ping, second!.Kind);
        Assert.True(second.Payload.IsEmpty);
        var third = await channel.ReadAsync();
        Assert.Equal(new byte[] { 1, 2, 3 }, third!.Payload.ToArray());
        Assert.Null(await channel.ReadAsync());
    }

    [Fact]
    public async Task Concurrent_sends_never_interleave()
    {
        var stream = new MemoryStream();
        var channel = new ControlChannel(stream);
        const int Senders = 8, PerSender = 200;
        await Task.WhenAll(Enumerable.Range(0, Senders).Select(s => Task.Run(async () =>
        {
            for (var i = 0; i < PerSender; i++)
            {
                var payload = Encoding.UTF8.GetBytes(new string((char)('a' + s), 1 + ((i * 37) % 3000)));
                await channel.SendAsync(new ControlFrame(ControlMessageKind.Status, payload));
            }
        })));

        stream.Position = 0;
        var counts = new int[Senders];
        while (await channel.ReadAsync() is { } frame)
        {
            var text = Encoding.UTF8.GetString(frame.Payload.Span);
            Assert.All(text, c => Assert.Equal(text[0], c));
            counts[text[0] - 'a']++;
        }

        Assert.All(counts, c => Assert.Equal(PerSender, c));
    }

    [Fact]
    public async Task Corrupt_length_names_the_value_and_the_limit()
    {
        var bytes = new byte[5];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, 0x7A000000);
        bytes[4] = (byte)ControlMessageKind.Status;
        var channel = new ControlChannel(new MemoryStream(bytes));
        var error = await Assert.ThrowsAsync<InvalidDataException>(async () => await channel.ReadAsync());
        Assert.Contains(0x7A000000.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message);
        Assert.Contains(ControlChannel.DefaultMaxPayloadLength.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message);
        Assert.Contains("64 MiB", error.Message);

        BinaryPrimitives.WriteInt32LittleEndian(bytes, -5);
        error = await Assert.ThrowsAsync<InvalidDataException>(async () => await new ControlChannel(new MemoryStream(bytes)).ReadAsync());
        Assert.Contains("-5", error.Message);
    }

    [Fact]
    public async Task Unknown_kind_and_truncated_frames_are_errors()
    {
        byte[] unknown = [0, 0, 0, 0, 200];
        await Assert.ThrowsAsync<InvalidDataException>(async () => await new ControlChannel(new MemoryStream(unknown)).ReadAsync());

        byte[] shortHeader = [3, 0];
        await Assert.ThrowsAsync<EndOfStreamException>(async () => await new ControlChannel(new MemoryStream(shortHeader)).ReadAsync());

        byte[] shortPayload = [10, 0, 0, 0, (byte)ControlMessageKind.Reply, 1, 2];
        var error = await Assert.ThrowsAsync<EndOfStreamException>(async () => await new ControlChannel(new MemoryStream(shortPayload)).ReadAsync());
        Assert.Contains("Reply", error.Message);
    }

    [Fact]
    public async Task Oversized_send_is_refused()
    {
        var channel = new ControlChannel(new MemoryStream(), maxPayloadLength: 16);
        var error = await Assert.ThrowsAsync<ArgumentException>(async () => await channel.SendAsync(new ControlFrame(ControlMessageKind.Log, new byte[17])));
        Assert.Contains("16", error.Message);
    }

    [Fact]
    public void A_frame_without_a_payload_or_with_null_names_its_kind_and_the_expected_type()
    {
        var empty = Assert.Throws<InvalidDataException>(() => ControlFrame.Empty(ControlMessageKind.Started).Read(WireJsonContext.Default.ChildStartedMessage));
        Assert.Equal("Control frame Started has no payload; expected a ChildStartedMessage.", empty.Message);

        var nothing = Assert.Throws<InvalidDataException>(() => new ControlFrame(ControlMessageKind.Started, "null"u8.ToArray()).Read(WireJsonContext.Default.ChildStartedMessage));
        Assert.Equal("Control frame Started carries null; expected a ChildStartedMessage.", nothing.Message);
    }

    [Fact]
    public void A_missing_runnable_assembly_or_type_is_named()
    {
        var missing = Path.Combine(Path.GetTempPath(), "puma-no-such-assembly.dll");
        var file = Assert.Throws<FileNotFoundException>(() => ChildAssemblyLoader.LoadType(missing, "Some.Type", null));
        Assert.Equal($"The runnable's assembly {missing} does not exist.", file.Message);
        Assert.Equal(missing, file.FileName);

        var assembly = typeof(ControlChannelTests).Assembly;
        var type = Assert.Throws<TypeLoadException>(() => ChildAssemblyLoader.LoadType(assembly.Location, "Puma.No.Such.Type", null));
        Assert.Equal($"Type Puma.No.Such.Type was not found in {assembly.FullName} ({assembly.Location}).", type.Message);
        Assert.Same(typeof(ControlChannelTests), ChildAssemblyLoader.LoadType(assembly.Location, typeof(ControlChannelTests).FullName!, null));
    }
}
