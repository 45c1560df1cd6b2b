using System.Diagnostics;
using Puma.Buffers.SharedMemory;

namespace Puma.Buffers.Tests.SharedMemory;

/// <summary>
/// A publisher wakes a parked waiter at once (futex wake), not at the end of its park slice.
/// </summary>
/// <remarks>
/// <para>A parked end re-checks its condition every <see cref="RingWait.ParkTimeoutMs"/> (250 ms) even when
/// nobody wakes it, so every test here would still pass, slowly, if wake-ups were lost: the only symptom of
/// a lost wake is latency. Each round therefore lets the waiter park (it spins for 25 µs, then parks; the
/// round waits 30 ms first), publishes, and measures how long the waiter took to see it. A real wake takes
/// microseconds to a millisecond; a lost one shows up after the rest of the slice, about 220 ms.</para>
/// <para>The bound is on the median of 9 rounds, at 100 ms: a loaded 2-core machine can delay a few wake-ups
/// by tens of milliseconds (the waiter thread waits for a core), but not most of them, while a lost wake
/// delays every round by about 220 ms. The class runs alone (the peer collection) to keep the noise down.</para>
/// </remarks>
[Collection(PeerProcessCollection.Name)]
public sealed class WakeUpTests
{
    private const int Rounds = 9;
    private const int ParkFirstMs = 30;
    private static readonly TimeSpan MedianBound = TimeSpan.FromMilliseconds(100);

    [Fact]
    public void AParkedBlockingReaderIsWokenByAWrite()
    {
        using var ring = RingTestSupport.Create(capacity: 4096);
        using var writer = ring.CreateWriter<long>();
        using var reader = ring.CreateReader<long>();
        var latencies = new List<TimeSpan>();
        for (var round = 0; round < Rounds; round++)
        {
            long woken = 0;
            var waiter = new Thread(() =>
            {
                reader.Raw.WaitToRead(new CancellationTokenSource(RingTestSupport.Generous).Token);
                woken = Stopwatch.GetTimestamp();
            });
            waiter.Start();
            Thread.Sleep(ParkFirstMs);
            Assert.Equal(0, Volatile.Read(ref woken));
            var published = Stopwatch.GetTimestamp();
            Assert.True(writer.TryWrite(round));
            Assert.True(waiter.Join(RingTestSupport.Generous));
            latencies.Add(Stopwatch.GetElapsedTime(published, woken));
            Assert.True(reader.TryRead(out var item));
            Assert.Equal(round, item);
        }
        AssertPrompt(latencies, "a parked blocking reader");
    }

    [Fact]
    public async Task AParkedAsyncReaderIsWokenByAWrite()
    {
        using var ring = RingTestSupport.Create(capacity: 4096);
        using var writer = ring.CreateWriter<long>();
        using var reader = ring.CreateReader<long>();
        var latencies = new List<TimeSpan>();
        for (var round = 0; round < Rounds; round++)
        {
            long woken = 0;
            var wait = reader.WaitToReadAsync().AsTask().ContinueWith(t =>
            {
                woken = Stopwatch.GetTimestamp();
                return t.Result;
            }, TaskContinuationOptions.ExecuteSynchronously);
            await Task.Delay(ParkFirstMs);
            Assert.False(wait.IsCompleted);
            var published = Stopwatch.GetTimestamp();
            Assert.True(writer.TryWrite(round));
            Assert.True(await wait.WaitAsync(RingTestSupport.Generous));
            latencies.Add(Stopwatch.GetElapsedTime(published, woken));
            Assert.True(reader.TryRead(out var item));
            Assert.Equal(round, item);
        }
        AssertPrompt(latencies, "a parked async reader");
    }

    [Fact]
    public void AParkedWriterIsWokenByARead()
    {
        using var ring = RingTestSupport.Create(capacity: 4096);
        using var writer = ring.CreateWriter<long>();
        using var reader = ring.CreateReader<long>();
        while (writer.TryWrite(-1)) { }
        var latencies = new List<TimeSpan>();
        for (var round = 0; round < Rounds; round++)
        {
            long woken = 0;
            var waiter = new Thread(() =>
            {
                writer.Raw.WaitForSpace(sizeof(long), new CancellationTokenSource(RingTestSupport.Generous).Token);
                woken = Stopwatch.GetTimestamp();
            });
            waiter.Start();
            Thread.Sleep(ParkFirstMs);
            Assert.Equal(0, Volatile.Read(ref woken));
            var released = Stopwatch.GetTimestamp();
            Assert.True(reader.TryRead(out _));
            Assert.True(waiter.Join(RingTestSupport.Generous));
            latencies.Add(Stopwatch.GetElapsedTime(released, woken));
            Assert.True(writer.TryWrite(round));
        }
        AssertPrompt(latencies, "a parked writer");
    }

    /// <summary>
    /// Across processes: a peer parked on "ping" echoes to "pong", where this process is parked. A round trip
    /// holds two cross-process wake-ups (the futex word is in the shared mapping, not process-private).
    /// </summary>
    [Fact]
    public void ParkedEndsInTwoProcessesWakeEachOther()
    {
        using var ping = RingTestSupport.Create(capacity: 4096);
        using var pong = RingTestSupport.Create(capacity: 4096);
        using var writer = ping.OpenWriter();
        using var reader = pong.OpenReader();
        using var peer = PeerProcess.Start("pingpong-echo", ping.Name, pong.Name);
        using var timeout = new CancellationTokenSource(RingTestSupport.Generous);
        var latencies = new List<TimeSpan>();
        for (var round = -2; round < Rounds; round++) // two rounds to start the peer and warm up
        {
            Thread.Sleep(round < 0 ? 0 : ParkFirstMs);
            var sent = Stopwatch.GetTimestamp();
            var span = writer.Claim(sizeof(int), timeout.Token);
            BitConverter.TryWriteBytes(span, round);
            writer.Commit();
            ReadOnlySpan<byte> echoed;
            while (!reader.TryAcquire(out echoed))
            {
                peer.AssertNotFailed();
                Assert.True(reader.WaitToRead(timeout.Token), "the peer completed the pong ring");
            }
            var received = Stopwatch.GetTimestamp();
            Assert.Equal(round, BitConverter.ToInt32(echoed));
            reader.Release();
            if (round >= 0) latencies.Add(Stopwatch.GetElapsedTime(sent, received));
        }
        writer.ReleaseWriter();
        peer.WaitForSuccess(RingTestSupport.Generous);
        AssertPrompt(latencies, "a cross-process round trip");
    }

    [Theory]
    [InlineData(-3)] // the park takes the count to -2
    [InlineData(-2)] // the park takes it to -1: 2^32 - 1 parks into a ring's life, a value no publisher may take for "woken already"
    public unsafe void APublisherThatNeverWokeAnyoneWakesAParkedReaderWhateverTheRingsParkCount(int parksBefore)
    {
        var latencies = new List<TimeSpan>();
        for (var round = 0; round < Rounds; round++)
        {
            using var ring = RingTestSupport.Create(capacity: 4096); // a fresh publisher each round: it never woke anyone
            using var writer = ring.CreateWriter<long>();
            using var reader = ring.CreateReader<long>();
            Volatile.Write(ref *ring.DataParks, parksBefore);
            long woken = 0;
            var waiter = new Thread(() =>
            {
                reader.Raw.WaitToRead(new CancellationTokenSource(RingTestSupport.Generous).Token);
                woken = Stopwatch.GetTimestamp();
            });
            waiter.Start();
            var parking = Stopwatch.StartNew();
            while (Volatile.Read(ref *ring.DataParks) != parksBefore + 1)
            {
                Assert.True(parking.Elapsed < RingTestSupport.Generous, "the reader never parked");
                Thread.Sleep(1);
            }
            Thread.Sleep(ParkFirstMs); // asleep in the futex by now
            var published = Stopwatch.GetTimestamp();
            Assert.True(writer.TryWrite(round));
            Assert.True(waiter.Join(RingTestSupport.Generous));
            latencies.Add(Stopwatch.GetElapsedTime(published, woken));
        }
        AssertPrompt(latencies, $"a reader parked at park count {parksBefore + 1}");
    }

    private static void AssertPrompt(List<TimeSpan> latencies, string what)
    {
        var sorted = latencies.Order().ToList();
        var median = sorted[sorted.Count / 2];
        Assert.True(median < MedianBound,
            $"{what}: median wake-up {median.TotalMilliseconds:F1} ms (all: {string.Join(", ", sorted.Select(l => l.TotalMilliseconds.ToString("F1")))} ms), " +
            $"bound {MedianBound.TotalMilliseconds} ms; a lost wake-up costs the rest of the {RingWait.ParkTimeoutMs} ms park slice");
    }
}
