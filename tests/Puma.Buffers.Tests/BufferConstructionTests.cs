using Puma.Buffers.SharedMemory;

namespace Puma.Buffers.Tests;

/// <summary>What a buffer refuses to be created with, and the exact messages that say why; the errors its ends complete with.</summary>
public class BufferConstructionTests
{
    [Fact]
    public void ABufferNeedsAName()
    {
        Assert.Equal("name", Assert.Throws<ArgumentNullException>(() => new PumaBuffer<int>(null!, 1)).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => new PumaBuffer<int>("", 1)).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => new PumaBuffer<int>(" \t", 1)).ParamName);
    }

    [Fact]
    public void AnUnknownModeIsNamedByItsNumber()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new PumaBuffer<int>("m", 1, (BufferMode)7));
        Assert.Equal("mode", e.ParamName);
        Assert.StartsWith("Buffer 'm': unknown buffer mode 7; use ManyToOne, Broadcast or Competing.", e.Message);
    }

    [Theory]
    [InlineData(260L, 264L)]
    [InlineData(257L, 264L)]
    [InlineData(4095L, 4096L)]
    public void ACapacityInBytesThatIsNotAMultipleOf8SuggestsTheNextOne(long capacityBytes, long suggested)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new PumaBuffer<int>("b", 1, capacityBytes: capacityBytes));
        Assert.Equal("capacityBytes", e.ParamName);
        Assert.StartsWith($"Buffer 'b': capacityBytes must be a multiple of 8 in 256..17179869184, got {capacityBytes} (try {suggested}).", e.Message);
    }

    [Fact]
    public void TheReaderGoneErrorNamesTheBufferAndItsLastReader()
    {
        var e = new BufferReaderGoneException("orders", "billing");
        Assert.Equal(("orders", "billing"), (e.BufferName, e.ReaderName));
        Assert.Equal("Buffer 'orders' has no reader left: 'billing' was the last and it ended.", e.Message);
    }

    [Fact]
    public void ARemoteErrorPrintsItsTypeMessageAndBothStacks()
    {
        RemoteBufferException thrown;
        try
        {
            throw new RemoteBufferException("System.TimeoutException", "too slow", "   at Remote.Frame()");
        }
        catch (RemoteBufferException e)
        {
            thrown = e;
        }

        var nl = Environment.NewLine;
        Assert.Equal(
            $"Puma.Buffers.SharedMemory.RemoteBufferException: System.TimeoutException: too slow{nl}" +
            $"   --- remote stack trace ---{nl}   at Remote.Frame(){nl}" +
            $"   --- end of remote stack trace ---{nl}{thrown.StackTrace}",
            thrown.ToString());
        Assert.Contains(nameof(ARemoteErrorPrintsItsTypeMessageAndBothStacks), thrown.StackTrace);
    }
}
