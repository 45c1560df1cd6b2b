using System.Threading.Channels;

namespace Puma.Buffers.Tests;

/// <summary>
/// The ends a runnable holds: what they say about themselves, that every member forwards to the
/// transport the buffer was opened on, and the errors for ends used too early or in the wrong process.
/// </summary>
public class BufferEndTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public void EndsNameTheirBufferTheirIndexAndTheirDirection()
    {
        var buffer = new PumaBuffer<int>("fan", 4, BufferMode.Broadcast);
        var first = buffer.AddReader();
        var second = buffer.AddReader();
        var writer = buffer.Writer;

        Assert.Same(buffer, first.Buffer);
        Assert.Same(buffer, writer.Buffer);
        Assert.Equal((0, 1, 0), (first.Index, second.Index, writer.Index));
        Assert.Equal((false, false, true), (first.IsWriter, second.IsWriter, writer.IsWriter));
        Assert.Equal("reader 1 of buffer 'fan'", second.ToString());
        Assert.Equal("writer of buffer 'fan'", writer.ToString());
        Assert.Equal([first, second], buffer.ReaderEnds);
    }

    [Fact]
    public void TheBufferCountsTheEndsHandedOut()
    {
        var single = new PumaBuffer<int>("single", 4);
        Assert.Equal(0, single.ReaderEndsHandedOut);
        Assert.False(single.WriterHandedOut);
        _ = single.Reader;
        _ = single.Writer;
        Assert.Equal(1, single.ReaderEndsHandedOut);
        Assert.True(single.WriterHandedOut);

        var fan = new PumaBuffer<int>("fan", 4, BufferMode.Broadcast);
        Assert.Empty(fan.ReaderEnds);
        fan.AddReader();
        fan.AddReader();
        Assert.Equal(2, fan.ReaderEndsHandedOut);
        Assert.Equal(typeof(int), fan.ElementType);
    }

    [Fact]
    public async Task EveryEndMemberForwardsToTheOpenTransport()
    {
        var buffer = new PumaBuffer<int>("b", 3);
        var writer = buffer.Writer;
        var reader = buffer.Reader;
        Assert.False(buffer.IsOpen);
        buffer.OpenInProcess();
        Assert.True(buffer.IsOpen);

        Assert.True(await writer.WaitToWriteAsync());
        await writer.WriteAsync(10);
        Assert.True(writer.TryWrite(11));
        Assert.True(reader.CanCount);
        Assert.Equal(2, reader.Count);
        Assert.True(reader.CanPeek);
        Assert.True(reader.TryPeek(out var peeked));
        Assert.Equal(10, peeked);
        Assert.True(await reader.WaitToReadAsync());
        Assert.Equal(10, await reader.ReadAsync());
        Assert.True(reader.TryRead(out var second));
        Assert.Equal(11, second);
        Assert.False(reader.TryRead(out _));

        Assert.True(writer.TryComplete());
        Assert.False(writer.TryComplete());
        await reader.Completion.WaitAsync(Patience);
        Assert.False(await reader.WaitToReadAsync());
        Assert.False(await writer.WaitToWriteAsync());
    }

    [Fact]
    public async Task EndsUsedBeforeTheBufferOpensNameTheBuffer()
    {
        var buffer = new PumaBuffer<int>("early", 3);
        const string expected = "Buffer 'early' is not open yet: the runtime opens its buffers in StartAsync.";
        Assert.Equal(expected, Assert.Throws<InvalidOperationException>(() => buffer.Writer.TryWrite(1)).Message);
        Assert.Equal(expected, Assert.Throws<InvalidOperationException>(() => { _ = buffer.Reader.Completion; }).Message);
        Assert.Equal(expected, Assert.Throws<InvalidOperationException>(() => buffer.Reader.Count).Message);
        Assert.Equal(expected, (await Assert.ThrowsAsync<InvalidOperationException>(() => buffer.Reader.ReadAsync().AsTask())).Message);
        Assert.Equal(expected, (await Assert.ThrowsAsync<InvalidOperationException>(() => buffer.Writer.WriteAsync(1).AsTask())).Message);
    }

    [Fact]
    public async Task ABufferOpenedWithoutALocalWriterRefusesWritesHereAndKeepsItsReadersOpen()
    {
        var buffer = new PumaBuffer<int>("remote", 3);
        var writer = buffer.Writer;
        var reader = buffer.Reader;
        var transport = Channel.CreateUnbounded<int>();
        buffer.Open(null, [transport.Reader]);

        const string expected = "Buffer 'remote' has no writer in this process: its writers run in other processes.";
        Assert.Equal(expected, Assert.Throws<InvalidOperationException>(() => writer.TryWrite(1)).Message);
        Assert.Equal(expected, Assert.Throws<InvalidOperationException>(() => writer.WaitToWriteAsync()).Message);
        Assert.False(writer.TryComplete());

        transport.Writer.TryWrite(5);
        Assert.Equal(5, await reader.ReadAsync().AsTask().WaitAsync(Patience));
        buffer.AddWriterReference();
        buffer.ReleaseWriter(null);
        Assert.False(reader.Completion.IsCompleted);
    }

    [Fact]
    public async Task ABufferOpenedOnTransportEndsWritesAndReadsThroughThem()
    {
        var buffer = new PumaBuffer<int>("given", 3);
        var writer = buffer.Writer;
        var reader = buffer.Reader;
        var transport = Channel.CreateUnbounded<int>();
        buffer.Open(transport.Writer, [transport.Reader]);

        Assert.True(writer.TryWrite(4));
        Assert.True(transport.Reader.TryPeek(out var sent));
        Assert.Equal(4, sent);
        Assert.Equal(4, await reader.ReadAsync().AsTask().WaitAsync(Patience));
        buffer.AddWriterReference();
        buffer.ReleaseWriter(null);
        await transport.Reader.Completion.WaitAsync(Patience);
    }

    [Fact]
    public void OpeningOnTransportEndsChecksTheirCountAndThatTheBufferIsNotOpen()
    {
        var fan = new PumaBuffer<int>("fan", 3, BufferMode.Broadcast);
        fan.AddReader();
        fan.AddReader();
        var miscount = Assert.Throws<ArgumentException>(() => fan.Open(null, [null]));
        Assert.StartsWith("Buffer 'fan' has 2 reader end(s) but 1 transport reader(s) were given.", miscount.Message);
        Assert.Equal("readers", miscount.ParamName);
        Assert.False(fan.IsOpen);

        fan.Open(Channel.CreateUnbounded<int>().Writer, [null, null]);
        var again = Assert.Throws<InvalidOperationException>(() => fan.Open(null, [null, null]));
        Assert.Equal("Buffer 'fan' is already open.", again.Message);
        Assert.Throws<ArgumentNullException>(() => new PumaBuffer<int>("x", 1).Open(null, null!));
    }

    [Fact]
    public void ReaderEndsAreChosenByMode()
    {
        var fan = new PumaBuffer<int>("fan", 3, BufferMode.Broadcast);
        var noShared = Assert.Throws<InvalidOperationException>(() => fan.Reader);
        Assert.Equal("Buffer 'fan' is a broadcast buffer: each reader needs its own end, get one with AddReader().", noShared.Message);
        fan.AddReader();
        fan.OpenInProcess();
        var late = Assert.Throws<InvalidOperationException>(() => fan.AddReader());
        Assert.Equal("Buffer 'fan' is already open: add broadcast readers before the runtime starts.", late.Message);
        Assert.Single(fan.ReaderEnds);

        var competing = new PumaBuffer<int>("work", 3, BufferMode.Competing);
        var notBroadcast = Assert.Throws<InvalidOperationException>(() => competing.AddReader());
        Assert.Equal("Buffer 'work' is a Competing buffer with a single shared reader end: use Reader.", notBroadcast.Message);
        Assert.Same(competing.Reader, competing.Reader);
    }

    [Fact]
    public void AWriterReleasedWithAnErrorCompletesTheBufferEvenWithOtherWritersLeft()
    {
        var buffer = new PumaBuffer<int>("b", 3);
        var reader = buffer.Reader;
        buffer.OpenInProcess();
        buffer.AddWriterReference();
        buffer.AddWriterReference();
        buffer.AddWriterReference();
        buffer.ReleaseWriter(null);
        Assert.False(reader.Completion.IsCompleted);
        buffer.ReleaseWriter(new TimeoutException("first"));
        Assert.Equal("first", reader.Completion.Exception!.InnerException!.Message);
        buffer.ReleaseWriter(new TimeoutException("second"));
        Assert.Equal("first", reader.Completion.Exception!.InnerException!.Message);
    }

    [Fact]
    public void ReadersLeavingOneByOneCompleteTheBufferOnlyWithTheLast()
    {
        var buffer = new PumaBuffer<int>("b", 3, BufferMode.Competing);
        var reader = buffer.Reader;
        buffer.OpenInProcess();
        buffer.AddReaderReference();
        buffer.AddReaderReference();
        buffer.ReleaseReader("one", 0);
        Assert.False(reader.Completion.IsCompleted);
        buffer.ReleaseReader("two", 0);
        var gone = Assert.IsType<BufferReaderGoneException>(reader.Completion.Exception!.InnerException);
        Assert.Contains("'two'", gone.Message);
    }
}
