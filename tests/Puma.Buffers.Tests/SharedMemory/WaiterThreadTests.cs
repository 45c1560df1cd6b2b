using Puma.Buffers.SharedMemory;

namespace Puma.Buffers.Tests.SharedMemory;

/// <summary>
/// Threads and descriptors an end or a segment holds, counted in /proc (Linux). The class runs
/// alone (the peer collection) so that no other test's ends or rings change the counts.
/// </summary>
[Collection(PeerProcessCollection.Name)]
public sealed class WaiterThreadTests
{
    private const string WriterWaiterThread = "puma-ring-write"; // "puma-ring-writer-wait" as the kernel keeps it (15 characters)

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AWriterRunsItsAsyncWaitsOnOneThreadAndStopsItWhenItEnds(bool detach)
    {
        if (!OperatingSystem.IsLinux()) return; // thread names in /proc
        using var ring = RingTestSupport.Create(capacity: 256);
        var writer = ring.OpenWriter();
        using var reader = ring.OpenReader();
        var before = ThreadStat.CountNamed(WriterWaiterThread);
        for (var round = 0; round < 3; round++)
        {
            while (writer.TryClaim(40, out _)) writer.Commit();
            var wait = writer.WaitToWriteAsync(40).AsTask();
            Assert.False(wait.IsCompleted);
            Assert.True(reader.TryAcquire(out _));
            reader.Release();
            Assert.True(await wait.WaitAsync(RingTestSupport.Generous));
        }
        Assert.Equal(before + 1, ThreadStat.CountNamed(WriterWaiterThread));
        if (detach) writer.Detach();
        else writer.Dispose();
        Assert.True(SpinWait.SpinUntil(() => ThreadStat.CountNamed(WriterWaiterThread) == before, TimeSpan.FromSeconds(5)),
            $"{ThreadStat.CountNamed(WriterWaiterThread) - before} waiter thread(s) left after {(detach ? "Detach" : "Dispose")}");
        writer.Dispose();
    }

    [Fact]
    public void ASealedSegmentThatCannotBeMappedLeavesNoDescriptor()
    {
        if (!OperatingSystem.IsLinux()) return; // memfd is Linux-only
        var before = MemfdDescriptors();
        Assert.Throws<ArgumentException>(() => SealedSegment.TryCreate(0)); // an empty file cannot be mapped
        Assert.Empty(MemfdDescriptors().Except(before));
    }

    private static HashSet<string> MemfdDescriptors()
    {
        var descriptors = new HashSet<string>();
        foreach (var fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            try
            {
                var target = new FileInfo(fd).LinkTarget;
                if (target?.StartsWith("/memfd:puma-", StringComparison.Ordinal) == true) descriptors.Add(Path.GetFileName(fd) + " " + target);
            }
            catch (IOException)
            {
                // closed meanwhile
            }
        }
        return descriptors;
    }
}
