using Puma.Runnables;
using Puma.Runtime.Tests.Runnables;
using static Puma.Runtime.Tests.TestSupport;

namespace Puma.Runtime.Tests;

/// <summary>The README's leased processor (<see cref="Invert"/>) does what the README says, in every placement.</summary>
public class ReadmeLeasedExampleTests
{
    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task TheLeasedInverterInvertsEveryFrameInOrder(Placement placement)
    {
        await using var runtime = NewRuntime();
        var frames = runtime.CreateBuffer<byte[]>("frames", 8, capacityBytes: 64 * 1024);
        var inverted = runtime.CreateBuffer<byte[]>("inverted", 8, capacityBytes: 64 * 1024);
        runtime.Add(new Invert { Name = "invert", Input = frames.Reader, Output = inverted.Writer }, placement);
        var writer = frames.Writer;
        var reader = inverted.Reader;
        await runtime.StartAsync();

        var reading = ReadAllAsync(reader); // the buffers hold 8 frames: read while writing
        for (var i = 0; i < 100; i++)
            await writer.WriteAsync(Enumerable.Range(0, 1000).Select(k => (byte)(i + k)).ToArray()).AsTask().WaitAsync(Patience);
        writer.Complete();
        var received = await reading;

        await runtime.WaitAsync().WaitAsync(Patience);
        Assert.Equal(100, received.Count);
        for (var i = 0; i < 100; i++)
            Assert.Equal(Enumerable.Range(0, 1000).Select(k => (byte)~(byte)(i + k)), received[i]);
    }
}
