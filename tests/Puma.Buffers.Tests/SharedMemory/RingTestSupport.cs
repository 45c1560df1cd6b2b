using Puma.Buffers.SharedMemory;

namespace Puma.Buffers.Tests.SharedMemory;

internal static class RingTestSupport
{
    public static SharedMemoryRing Create(long capacity = 4096, BufferMode mode = BufferMode.ManyToOne, int readers = 1, int writers = 1) =>
        SharedMemoryRing.Create(new SharedMemoryRingOptions { CapacityBytes = capacity, Mode = mode, Readers = readers, Writers = writers });

    public static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);

    /// <summary>Writes 0..count-1 and releases the writer; collects every item the reader gets until it completes.</summary>
    public static (Task Producer, Task<List<int>> Consumer) Pump(SharedMemoryChannelWriter<int> writer, SharedMemoryChannelReader<int> reader, int count)
    {
        var producer = Task.Run(async () =>
        {
            for (var i = 0; i < count; i++)
                await writer.WriteAsync(i);
            writer.ReleaseWriter();
        });
        var consumer = Task.Run(async () =>
        {
            var received = new List<int>();
            await foreach (var item in reader.ReadAllAsync())
                received.Add(item);
            return received;
        });
        return (producer, consumer);
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails after <see cref="Generous"/> with <paramref name="what"/>.</summary>
    public static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Generous;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"timed out waiting until {what}");
            await Task.Delay(5);
        }
    }

    /// <summary>Asserts that no process can attach the ring any more and that no file of it remains.</summary>
    public static void AssertGone(string name)
    {
        Assert.Throws<FileNotFoundException>(() => SharedMemoryRing.Attach(name));
        var segment = name.Split('@')[0];
        var directory = OperatingSystem.IsLinux() ? "/dev/shm" : Path.GetTempPath();
        Assert.Empty(Directory.EnumerateFiles(directory, segment + "*"));
    }
}
