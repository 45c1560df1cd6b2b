using Puma.Buffers.SharedMemory;

namespace Puma.Buffers.Tests.SharedMemory;

/// <summary>README, "Crashes": a reader first gets what a dead writer wrote, then PeerProcessDiedException.</summary>
[Collection(PeerProcessCollection.Name)]
public sealed class PeerDeathTests
{
    /// <summary>The writer process writes 10 items and is killed before anything is read: nothing it wrote is lost.</summary>
    [Fact]
    public async Task AReaderDrainsWhatADeadWriterWroteThenGetsPeerProcessDied()
    {
        using var ring = RingTestSupport.Create(capacity: 4096);
        using var reader = ring.CreateReader<int>();
        using var writer = PeerProcess.Start("hold-writer", ring.Name, "10");
        writer.WaitForLine("ready", RingTestSupport.Generous);
        writer.Kill();

        var items = new List<int>();
        using var timeout = new CancellationTokenSource(RingTestSupport.Generous);
        var error = await Assert.ThrowsAsync<PeerProcessDiedException>(async () =>
        {
            await foreach (var item in reader.ReadAllAsync(timeout.Token))
                items.Add(item);
        });
        Assert.Equal(Enumerable.Range(0, 10), items);
        Assert.Equal(writer.Id, error.ProcessId);
        var completion = await Assert.ThrowsAsync<PeerProcessDiedException>(() => reader.Completion.WaitAsync(RingTestSupport.Generous));
        Assert.Equal(writer.Id, completion.ProcessId);
    }

    /// <summary>The same with the blocking raw reader: 10 messages, then the error, also on every later wait.</summary>
    [Fact]
    public void ABlockingReaderDrainsWhatADeadWriterWroteThenGetsPeerProcessDied()
    {
        using var ring = RingTestSupport.Create(capacity: 4096);
        using var reader = ring.OpenReader();
        using var writer = PeerProcess.Start("hold-writer", ring.Name, "10");
        writer.WaitForLine("ready", RingTestSupport.Generous);
        writer.Kill();

        using var timeout = new CancellationTokenSource(RingTestSupport.Generous);
        var items = new List<int>();
        var error = Assert.Throws<PeerProcessDiedException>(() =>
        {
            while (reader.WaitToRead(timeout.Token))
            {
                while (reader.TryAcquire(out var message))
                {
                    items.Add(BitConverter.ToInt32(message));
                    reader.Release();
                }
            }
        });
        Assert.Equal(Enumerable.Range(0, 10), items);
        Assert.Equal(writer.Id, error.ProcessId);
        Assert.Throws<PeerProcessDiedException>(() => reader.WaitToRead(timeout.Token));
    }
}
