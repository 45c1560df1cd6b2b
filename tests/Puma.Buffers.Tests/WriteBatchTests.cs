using System.Threading.Channels;
using Puma.Buffers.Tests.SharedMemory;

namespace Puma.Buffers.Tests;

/// <summary><see cref="ChannelWriterBatchExtensions.BeginBatch{T}"/> on a Puma port: a ring publishes at dispose; other transports at once.</summary>
public class WriteBatchTests
{
    [Fact]
    public void ABatchOnARingIsPublishedWhenDisposed()
    {
        using var ring = RingTestSupport.Create(capacity: 64 * 1024);
        var buffer = new PumaBuffer<int>("batched", 16);
        buffer.OpenSharedMemory(ring, [0]);
        ChannelWriter<int> output = buffer.Writer;

        var batch = output.BeginBatch();
        output.TryWrite(1);
        output.TryWrite(2);
        Assert.False(buffer.Reader.TryRead(out _));

        batch.Dispose();
        Assert.Equal([1, 2], ReadAvailable(buffer.Reader));
        output.TryWrite(3); // after the batch: at once
        Assert.Equal([3], ReadAvailable(buffer.Reader));
    }

    [Fact]
    public void ABatchOnAnInProcessBufferDeliversEveryItemAtOnce()
    {
        var buffer = new PumaBuffer<int>("local", 16);
        buffer.OpenInProcess();

        using (buffer.Writer.BeginBatch())
        {
            buffer.Writer.TryWrite(1);
            Assert.Equal([1], ReadAvailable(buffer.Reader));
        }
    }

    [Fact]
    public void ABatchOnAnotherWriterDoesNothing()
    {
        var channel = Channel.CreateUnbounded<int>();

        using (channel.Writer.BeginBatch())
            channel.Writer.TryWrite(1);

        Assert.True(channel.Reader.TryRead(out var item));
        Assert.Equal(1, item);
        Assert.Throws<ArgumentNullException>(() => ((ChannelWriter<int>)null!).BeginBatch());
    }

    private static List<int> ReadAvailable(ChannelReader<int> reader)
    {
        var items = new List<int>();
        while (reader.TryRead(out var item))
            items.Add(item);
        return items;
    }
}
