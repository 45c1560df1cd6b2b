using System.Threading.Channels;
using Puma.Buffers.SharedMemory;

namespace Puma.Buffers.Tests.SharedMemory;

/// <summary>
/// Sealed memfd segments (Linux): nobody can resize a live segment (a shrink used to kill every
/// process mapping it with SIGBUS), and no segment outlives the processes that hold it.
/// </summary>
[Collection(PeerProcessCollection.Name)]
public sealed class SealedSegmentTests : IDisposable
{
    private readonly List<PeerProcess> _peers = [];

    public void Dispose()
    {
        foreach (var peer in _peers) peer.Dispose();
    }

    private PeerProcess Start(params string[] args)
    {
        var peer = PeerProcess.Start(args);
        _peers.Add(peer);
        return peer;
    }

    [Fact]
    public async Task ResizingALiveSegmentFromAnotherProcessIsRefusedAndTheStreamGoesOn()
    {
        if (!OperatingSystem.IsLinux()) return; // memfd is Linux-only
        using var ring = RingTestSupport.Create(capacity: 1 << 16);
        Assert.True(ring.IsSealed);
        var length = new FileInfo(ring.FilePath).Length;
        using var writer = ring.CreateWriter<int>();
        using var reader = ring.CreateReader<int>();
        await StreamAsync(writer, reader, 0, 20_000);

        var resizer = Start("resize", ring.FilePath);
        resizer.WaitForSuccess(RingTestSupport.Generous);
        Assert.Contains("shrink: refused", resizer.Output);
        Assert.Contains("grow: refused", resizer.Output);

        Assert.Equal(length, new FileInfo(ring.FilePath).Length);
        await StreamAsync(writer, reader, 20_000, 20_000);
    }

    [Fact]
    public void ResizingALiveSegmentInItsOwnProcessIsRefused()
    {
        if (!OperatingSystem.IsLinux()) return; // memfd is Linux-only
        using var ring = RingTestSupport.Create(capacity: 4096);
        using var writer = ring.CreateWriter<long>();
        using var reader = ring.CreateReader<long>();
        using (var segment = new FileStream(ring.FilePath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite))
        {
            var length = segment.Length;
            var shrink = Record.Exception(() => segment.SetLength(0));
            Assert.True(shrink is UnauthorizedAccessException or IOException, $"shrinking gave {shrink?.GetType().Name ?? "no error"}");
            var grow = Record.Exception(() => segment.SetLength(length + 4096));
            Assert.True(grow is UnauthorizedAccessException or IOException, $"growing gave {grow?.GetType().Name ?? "no error"}");
            Assert.Equal(length, segment.Length);
        }
        for (long i = 0; i < 10_000; i++)
        {
            Assert.True(writer.TryWrite(i));
            Assert.True(reader.TryRead(out var item));
            Assert.Equal(i, item);
        }
    }

    [Fact]
    public async Task NoSegmentRemainsAfterItsCreatorIsKilled()
    {
        if (!OperatingSystem.IsLinux()) return; // memfd is Linux-only
        var creator = Start("create", "4096", "3");
        creator.WaitForLine("ready", RingTestSupport.Generous);
        var name = creator.Output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("name=", StringComparison.Ordinal))["name=".Length..];
        var segment = name.Split('@')[0];
        Assert.Equal([creator.Id], MemfdHolders(segment));

        // A process still mapping the segment keeps it alive after the creator's death...
        using (var attached = SharedMemoryRing.Attach(name))
        using (var reader = attached.CreateReader<int>())
        {
            creator.Kill();
            var received = new List<int>();
            var error = await Assert.ThrowsAsync<PeerProcessDiedException>(async () =>
            {
                await foreach (var item in reader.ReadAllAsync().WithCancellation(new CancellationTokenSource(RingTestSupport.Generous).Token))
                    received.Add(item);
            });
            Assert.Equal([0, 1, 2], received);
            Assert.Equal(creator.Id, error.ProcessId);
            Assert.Equal([Environment.ProcessId], MemfdHolders(segment));
        }

        // ...and the segment is gone with its last holder: nothing to attach, no file, no holder.
        RingTestSupport.AssertGone(name);
        Assert.Empty(MemfdHolders(segment));
    }

    private static async Task StreamAsync(ChannelWriter<int> writer, ChannelReader<int> reader, int first, int count)
    {
        var producer = Task.Run(async () =>
        {
            for (var i = first; i < first + count; i++) await writer.WriteAsync(i);
        });
        for (var i = first; i < first + count; i++)
            Assert.Equal(i, await reader.ReadAsync().AsTask().WaitAsync(RingTestSupport.Generous));
        await producer.WaitAsync(RingTestSupport.Generous);
    }

    /// <summary>Pids of the processes that hold a descriptor to, or map, the memfd named <paramref name="segment"/>.</summary>
    private static List<int> MemfdHolders(string segment)
    {
        var memfd = "/memfd:" + segment;
        var holders = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid)) continue;
            try
            {
                var holds = File.ReadAllText(Path.Combine(directory, "maps")).Contains(memfd, StringComparison.Ordinal)
                    || Directory.EnumerateFileSystemEntries(Path.Combine(directory, "fd"))
                        .Any(fd => new FileInfo(fd).LinkTarget?.StartsWith(memfd + " ", StringComparison.Ordinal) == true);
                if (holds) holders.Add(pid);
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or another user's process.
            }
        }
        return holders;
    }
}
