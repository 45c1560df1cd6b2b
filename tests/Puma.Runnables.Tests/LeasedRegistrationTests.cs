using System.Threading.Channels;
using Puma.Buffers;

namespace Puma.Runnables.Tests;

/// <summary>Registration rules of leased inputs and the messages they give.</summary>
public class LeasedRegistrationTests
{
    [Fact]
    public void AReaderThatIsNotAPumaPortIsRefusedNamingItsType()
    {
        var channel = Channel.CreateUnbounded<byte[]>();

        var error = Assert.Throws<InvalidOperationException>(() => new Handlers("r").InputLeased(channel.Reader, _ => { }));
        Assert.Equal("Runnable 'r': a leased input reads a Puma buffer's port (BufferReader<T>), not a UnboundedChannelReader; use Input for other channels.", error.Message);
    }

    [Fact]
    public void ItemsWithoutAByteLayoutAreRefusedNamingTheType()
    {
        var buffer = new PumaBuffer<string>("words", 4);

        var error = Assert.Throws<InvalidOperationException>(() => new Handlers("r").InputLeased(buffer.Reader, (_, _) => default));
        Assert.StartsWith("Runnable 'r': a leased input needs items with a byte layout. Cannot lease items of type String as bytes", error.Message);
    }

    [Fact]
    public void TheRulesOfInputHoldForLeasedInputs()
    {
        var buffer = new PumaBuffer<byte[]>("frames", 4);

        Assert.Equal("handler", Assert.Throws<ArgumentNullException>(() => new Handlers("r").InputLeased(buffer.Reader, (LeasedItemHandler)null!)).ParamName);
        Assert.Equal("reader", Assert.Throws<ArgumentNullException>(() => new Handlers("r").InputLeased<byte[]>(null!, _ => { })).ParamName);
        Assert.Equal("maxBatch", Assert.Throws<ArgumentOutOfRangeException>(() => new Handlers("r").InputLeased(buffer.Reader, _ => { }, maxBatch: 0)).ParamName);
        var twice = Assert.Throws<InvalidOperationException>(() => new Handlers("r").Input(buffer.Reader, _ => { }).InputLeased(buffer.Reader, _ => { }));
        Assert.Equal("Runnable 'r' registered two handlers for the same input (reader 0 of buffer 'frames').", twice.Message);
        new Handlers("r").InputLeased(buffer.Reader, _ => { }).InputCompleted(buffer.Reader, _ => { });
    }
}
