using System.Diagnostics;
using System.Threading.Channels;
using Puma.Buffers.Peer;
using Puma.Buffers.SharedMemory;

namespace Puma.Buffers.Tests.SharedMemory;

/// <summary>The ring across real processes: a Puma.Buffers.Peer process on the other side.</summary>
[Collection(PeerProcessCollection.Name)]
public sealed class CrossProcessTests : IDisposable
{
    private readonly List<PeerProcess> _peers = [];
    private readonly List<string> _files = [];

    public void Dispose()
    {
        foreach (var peer in _peers) peer.Dispose();
        foreach (var file in _files) File.Delete(file);
    }

    private PeerProcess Start(params string[] args)
    {
        var peer = PeerProcess.Start(args);
        _peers.Add(peer);
        return peer;
    }

    private string TempFile()
    {
        var path = Path.Combine(Path.GetTempPath(), "puma-test-" + Guid.NewGuid().ToString("N"));
        _files.Add(path);
        return path;
    }

    private static List<(int Writer, int Sequence)> ReadPairs(string path)
    {
        var pairs = new List<(int, int)>();
        using var reader = new BinaryReader(File.OpenRead(path));
        while (reader.BaseStream.Position < reader.BaseStream.Length) pairs.Add((reader.ReadInt32(), reader.ReadInt32()));
        return pairs;
    }

    [Fact]
    public void AMillionMessagesOfRandomSizesFromSeveralWritersArriveInOrderWithChecksums()
    {
        const int writers = 3, perWriter = 400_000, maxSize = 200;
        using var ring = RingTestSupport.Create(capacity: 1 << 16, writers: writers);
        using var reader = ring.OpenReader();
        for (var w = 0; w < writers; w++) Start("write", ring.Name, perWriter.ToString(), (100 + w).ToString(), w.ToString(), maxSize.ToString());
        var next = new int[writers];
        long total = 0;
        var deadline = Stopwatch.StartNew();
        while (WaitToReadWatchingPeers(reader, deadline))
        {
            while (reader.TryAcquire(out var message))
            {
                var (writer, sequence) = TestMessages.Check(message);
                reader.Release();
                Assert.Equal(next[writer]++, sequence);
                total++;
            }
        }
        Assert.Equal((long)writers * perWriter, total);
        Assert.True(Volatile.Read(ref PeekReserve(ring)) > 100 * ring.CapacityBytes, "expected many wraps");
        foreach (var peer in _peers) peer.WaitForSuccess(RingTestSupport.Generous);
    }

    /// <summary>Waits in short slices so that a failed peer fails the test at once instead of at the deadline.</summary>
    private bool WaitToReadWatchingPeers(RingReader reader, Stopwatch deadline)
    {
        while (true)
        {
            using var slice = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            try
            {
                return reader.WaitToRead(slice.Token);
            }
            catch (OperationCanceledException)
            {
                foreach (var peer in _peers) peer.AssertNotFailed();
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(90), "no progress within 90 s: " + reader.Ring.DescribeState() + " " + string.Join(" | ", _peers.Select(p => p.Error)));
            }
        }
    }

    private static unsafe int DataWaiters(SharedMemoryRing ring) => Volatile.Read(ref *ring.DataWaiters);

    private static unsafe ref long PeekReserve(SharedMemoryRing ring) => ref *ring.ReserveCursor;

    [Fact]
    public void SeveralWriterProcessesToOneReaderProcess()
    {
        const int writers = 4, perWriter = 25_000;
        using var ring = RingTestSupport.Create(capacity: 8192, writers: writers);
        var output = TempFile();
        var reader = Start("read", ring.Name, "0", output);
        reader.WaitForLine("ready", RingTestSupport.Generous);
        for (var w = 0; w < writers; w++) Start("write", ring.Name, perWriter.ToString(), w.ToString(), w.ToString(), "64");
        reader.WaitForSuccessWatching(_peers, TimeSpan.FromSeconds(60));
        var pairs = ReadPairs(output);
        Assert.Equal(writers * perWriter, pairs.Count);
        foreach (var group in pairs.GroupBy(p => p.Writer))
            Assert.Equal(Enumerable.Range(0, perWriter), group.Select(p => p.Sequence));
    }

    [Fact]
    public void BroadcastReachesThreeReaderProcesses()
    {
        const int count = 100_000;
        using var ring = RingTestSupport.Create(capacity: 1 << 14, mode: BufferMode.Broadcast, readers: 3);
        using var writer = ring.OpenWriter();
        var outputs = new[] { TempFile(), TempFile(), TempFile() };
        // Slots are registered at creation: writing may start before the readers attach.
        var readers = Enumerable.Range(0, 3).Select(slot => Start("read", ring.Name, slot.ToString(), outputs[slot])).ToArray();
        var random = new Random(5);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        for (var i = 0; i < count; i++)
        {
            var span = writer.Claim(TestMessages.SizeFor(random, 100), timeout.Token);
            TestMessages.Fill(span, 0, i, random);
            writer.Commit();
        }
        writer.ReleaseWriter();
        foreach (var reader in readers) reader.WaitForSuccess(TimeSpan.FromSeconds(60));
        foreach (var output in outputs)
            Assert.Equal(Enumerable.Range(0, count), ReadPairs(output).Select(p => p.Sequence));
    }

    [Fact]
    public void CompetingReaderProcessesGetEachMessageExactlyOnce()
    {
        const int count = 150_000;
        using var ring = RingTestSupport.Create(capacity: 1 << 14, mode: BufferMode.Competing, readers: 3);
        using var writer = ring.OpenWriter();
        var outputs = new[] { TempFile(), TempFile(), TempFile() };
        var readers = Enumerable.Range(0, 3).Select(slot => Start("read", ring.Name, slot.ToString(), outputs[slot])).ToArray();
        foreach (var reader in readers) reader.WaitForLine("ready", RingTestSupport.Generous);
        var random = new Random(9);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        for (var i = 0; i < count; i++)
        {
            var span = writer.Claim(TestMessages.SizeFor(random, 100), timeout.Token);
            TestMessages.Fill(span, 0, i, random);
            writer.Commit();
        }
        writer.ReleaseWriter();
        foreach (var reader in readers) reader.WaitForSuccess(TimeSpan.FromSeconds(60));
        var all = outputs.SelectMany(o => ReadPairs(o).Select(p => p.Sequence)).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, count), all);
    }

    [Fact]
    public async Task CompletionCrossesProcesses()
    {
        using var ring = RingTestSupport.Create(capacity: 4096);
        using var reader = ring.CreateReader<string>();
        Start("typed-write", ring.Name, "1000", "release");
        var items = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var item in reader.ReadAllAsync(timeout.Token)) items.Add(item);
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => "item-" + i), items);
        await reader.Completion.WaitAsync(RingTestSupport.Generous);
    }

    [Fact]
    public async Task CompletionWithAnErrorCrossesProcessesAfterDraining()
    {
        using var ring = RingTestSupport.Create(capacity: 4096);
        using var reader = ring.CreateReader<string>();
        Start("typed-write", ring.Name, "500", "error");
        var items = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var error = await Assert.ThrowsAsync<RemoteBufferException>(async () =>
        {
            await foreach (var item in reader.ReadAllAsync(timeout.Token)) items.Add(item);
        });
        Assert.Equal(500, items.Count);
        Assert.Equal("System.InvalidOperationException", error.RemoteType);
        Assert.Equal("peer failed on purpose", error.Message);
        Assert.Contains("FailOnPurpose", error.RemoteStackTrace);
        Assert.Contains("System.InvalidOperationException", error.ToString());
        Assert.Contains("FailOnPurpose", error.ToString());
        await Assert.ThrowsAsync<RemoteBufferException>(() => reader.Completion.WaitAsync(RingTestSupport.Generous));
    }

    [Fact]
    public async Task KillingTheOnlyReaderFailsTheBlockedWriterClearly()
    {
        using var ring = RingTestSupport.Create(capacity: 1024);
        using var writer = ring.CreateWriter<long>();
        var reader = Start("hold-reader", ring.Name, "0");
        reader.WaitForLine("ready", RingTestSupport.Generous);
        long i = 0;
        while (writer.TryWrite(i)) i++;
        var blocked = writer.WriteAsync(i).AsTask();
        await Task.Delay(200);
        Assert.False(blocked.IsCompleted);
        var stopwatch = Stopwatch.StartNew();
        reader.Kill();
        var error = await Assert.ThrowsAsync<PeerProcessDiedException>(() => blocked.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed}");
        Assert.Contains("no live reader", error.Message);
        Assert.Contains(reader.Id.ToString(), error.Message);
    }

    [Fact]
    public async Task KillingOneBroadcastReaderLetsTheWriterProceed()
    {
        const int count = 20_000;
        using var ring = RingTestSupport.Create(capacity: 1024, mode: BufferMode.Broadcast, readers: 2);
        using var writer = ring.CreateWriter<int>();
        using var live = ring.CreateReader<int>(1);
        var held = Start("hold-reader", ring.Name, "0");
        held.WaitForLine("ready", RingTestSupport.Generous);
        var (producer, consumer) = RingTestSupport.Pump(writer, live, count);
        await Task.Delay(300);
        Assert.False(producer.IsCompleted);
        held.Kill();
        await producer.WaitAsync(TimeSpan.FromSeconds(10));
        var received = await consumer.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(Enumerable.Range(0, count), received);
    }

    [Fact]
    public async Task AReaderKilledWhileParkedDoesNotLeaveItsWaiterCountBehind()
    {
        using var ring = RingTestSupport.Create(capacity: 1024, mode: BufferMode.Broadcast, readers: 2);
        using var writer = ring.CreateWriter<long>();
        var parked = Start("read", ring.Name, "0", TempFile());
        parked.WaitForLine("ready", RingTestSupport.Generous);
        var deadline = Stopwatch.StartNew();
        while (DataWaiters(ring) == 0) Assert.True(deadline.Elapsed < RingTestSupport.Generous, "the peer reader never parked");
        parked.Kill();
        using var live = ring.CreateReader<long>(1);
        // Fill the ring so the writer blocks, notices the dead reader and skips it.
        var producer = Task.Run(async () =>
        {
            for (long i = 0; i < 500; i++) await writer.WriteAsync(i);
        });
        long expected = 0;
        while (expected < 500)
        {
            Assert.True(live.Raw.WaitToRead(new CancellationTokenSource(RingTestSupport.Generous).Token));
            while (live.TryRead(out var item)) Assert.Equal(expected++, item);
        }
        await producer.WaitAsync(RingTestSupport.Generous);
        Assert.Equal(0, DataWaiters(ring));
    }

    [Fact]
    public async Task KillingTheWriterGivesTheReaderAnErrorInsteadOfAHang()
    {
        using var ring = RingTestSupport.Create(capacity: 4096);
        using var reader = ring.CreateReader<int>();
        var writer = Start("hold-writer", ring.Name, "10");
        writer.WaitForLine("ready", RingTestSupport.Generous);
        for (var i = 0; i < 10; i++) Assert.Equal(i, await reader.ReadAsync().AsTask().WaitAsync(RingTestSupport.Generous));
        var waiting = reader.WaitToReadAsync().AsTask();
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted);
        var stopwatch = Stopwatch.StartNew();
        writer.Kill();
        var error = await Assert.ThrowsAsync<PeerProcessDiedException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed}");
        Assert.Equal(writer.Id, error.ProcessId);
        await Assert.ThrowsAsync<PeerProcessDiedException>(() => reader.Completion.WaitAsync(RingTestSupport.Generous));
    }

    [Fact]
    public async Task AnOversizedMessageFromAnotherProcessRingIsRefusedNamingBothSizes()
    {
        using var ring = RingTestSupport.Create(capacity: 2048);
        using var attached = SharedMemoryRing.Attach(ring.Name);
        using var writer = attached.CreateWriter<byte[]>();
        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await writer.WriteAsync(new byte[4096]));
        Assert.Contains("4096", error.Message);
        Assert.Equal(2048 / 2 - 16, attached.MaxMessageBytes);
        Assert.Contains("1008", error.Message);
    }

    [Fact]
    public async Task ARecordClaimedByADeadCompetingReaderIsFreedForTheWriter()
    {
        using var ring = RingTestSupport.Create(capacity: 1024, mode: BufferMode.Competing, readers: 2);
        using var writer = ring.CreateWriter<int>();
        Assert.True(writer.TryWrite(-1));
        var holder = Start("hold-claim", ring.Name, "0");
        holder.WaitForLine("ready", RingTestSupport.Generous);
        using var live = ring.CreateReader<int>(1);
        const int count = 5000;
        var (producer, consumer) = RingTestSupport.Pump(writer, live, count);
        await Task.Delay(300);
        Assert.False(producer.IsCompleted, "the unreleased claim should block the writer once the ring is full");
        holder.Kill();
        await producer.WaitAsync(TimeSpan.FromSeconds(10));
        var received = await consumer.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(Enumerable.Range(0, count), received);
    }
}
