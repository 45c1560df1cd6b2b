using System.Globalization;
using Puma.Buffers.SharedMemory;

namespace Puma.Buffers.Tests.SharedMemory;

/// <summary>
/// How ends wait: a wait the spin satisfies never counts itself among the parked waiters (so the
/// publisher makes no wake-up syscall), and a parked end sleeps in the kernel for whole park slices
/// (no CPU, a few context switches a second), measured on its own thread in /proc (Linux).
/// </summary>
public sealed unsafe class ParkingTests
{
    [Fact]
    public void AWaitTheSpinSatisfiesIsNeverCountedAsParked()
    {
        var words = stackalloc int[] { 0, 0, 0 }; // sequence, waiters, parks
        var condition = new CountingCondition(words + 1, readyAtCall: 2); // not at the first look: the spin loop's first check
        RingWait.Wait(words, words + 1, words + 2, null, condition, default);
        Assert.Equal(2, condition.Calls);
        Assert.Equal(0, condition.MostWaitersSeen);
        Assert.Equal(0, words[1]);
    }

    [Fact]
    public void TheSpinGivesUpOnlyOnceItsBudgetIsSpent()
    {
        var words = stackalloc int[1];
        words[0] = 0;
        Assert.False(RingWait.Spin(new CountingCondition(words, readyAtCall: int.MaxValue))); // compiled before the measured run
        var never = new CountingCondition(words, readyAtCall: int.MaxValue);
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        Assert.False(RingWait.Spin(never));
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(start);
        Assert.True(elapsed >= TimeSpan.FromMicroseconds(25), $"the spin gave up after {elapsed.TotalMicroseconds:F1} µs");
        Assert.True(never.Calls >= 2);
    }

    [Fact]
    public void AParkingWaitCountsItselfWhileParked()
    {
        var words = stackalloc int[] { 0, 0, 0 }; // sequence, waiters, parks
        var condition = new CountingCondition(words + 1, readyAtCall: 1);
        RingWait.Park(words, words + 1, words + 2, null, condition, default);
        Assert.Equal(1, condition.MostWaitersSeen);
        Assert.Equal(0, words[1]);
    }

    [Fact]
    public void AParkIsCountedBeforeItsFirstLookAndAWakeUpMadeForThatCountEndsIt()
    {
        var words = stackalloc int[] { 7, 0, 0 }; // sequence, waiters, parks
        var condition = new PublishingCondition(words);
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        RingWait.Park(words, words + 1, words + 2, null, condition, default);
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(start);
        Assert.Equal(1, condition.ParksAtFirstLook);
        Assert.Equal(8, words[0]); // only the publisher moved the sequence: a park never does
        Assert.Equal(2, words[2]); // the park that was woken, and the one that found the condition
        // Woken by the publisher's increment, not at the end of a park slice (a liveness bound, far from both).
        Assert.True(elapsed < TimeSpan.FromMilliseconds(RingWait.ParkTimeoutMs - 50), $"parked {elapsed.TotalMilliseconds:F0} ms");
    }

    /// <summary>
    /// A publisher at the parking end's first look: it sees the park counted and moves the sequence, as
    /// <c>WakeNewParks</c> does; the condition holds only two looks later, after the futex wait has returned.
    /// </summary>
    private sealed class PublishingCondition(int* words) : IRingWaitCondition
    {
        private int _calls;

        public int ParksAtFirstLook { get; private set; } = -1;

        public bool IsReady()
        {
            if (++_calls == 1)
            {
                ParksAtFirstLook = Volatile.Read(ref words[2]);
                Interlocked.Increment(ref words[0]);
                return false;
            }
            return _calls >= 4; // not at the look after the store-drain pause: the futex wait must return by itself
        }

        public void CheckSlice()
        {
        }
    }

    [Fact]
    public void AParkedReaderIsWokenOnceHoweverManyCommitsComeBeforeItRunsAndAgainWhenItParksAgain()
    {
        using var ring = RingTestSupport.Create();
        using var writer = ring.OpenWriter();
        using var reader = ring.OpenReader();
        // A reader parked for data, as RingWait.Park leaves the signal line: counted among the waiters, its park counted.
        Volatile.Write(ref *ring.DataWaiters, 1);
        Interlocked.Increment(ref *ring.DataParks);
        try
        {
            var before = Volatile.Read(ref *ring.DataSequence);
            for (var i = 0; i < 5; i++)
                RingTestShared.Write(writer, 8); // each commit publishes at once: a reader is parked
            Assert.Equal(before + 1, Volatile.Read(ref *ring.DataSequence)); // one wake-up: it had not run again
            Assert.Equal(5, Drain(reader));

            Interlocked.Increment(ref *ring.DataParks); // it ran, found nothing and parked again
            RingTestShared.Write(writer, 8);
            RingTestShared.Write(writer, 8);
            Assert.Equal(before + 2, Volatile.Read(ref *ring.DataSequence));
        }
        finally
        {
            Volatile.Write(ref *ring.DataWaiters, 0);
        }
    }

    [Fact]
    public void AParkedWriterIsWokenOnceHoweverManyReleasesComeBeforeItRunsAndAgainWhenItParksAgain()
    {
        using var ring = RingTestSupport.Create(capacity: 1024);
        using var writer = ring.OpenWriter();
        using var reader = ring.OpenReader();
        while (writer.TryClaim(40, out _)) writer.Commit();
        RingTestShared.FakeParkedWriter(ring, true);
        try
        {
            var before = Volatile.Read(ref *ring.SpaceSequence);
            Assert.True(Drain(reader) > 3); // each release signals: a writer is parked
            Assert.Equal(before + 1, Volatile.Read(ref *ring.SpaceSequence)); // one wake-up: it had not run again

            while (writer.TryClaim(40, out _)) writer.Commit();
            RingTestShared.FakeParkedWriter(ring, true); // it ran, filled the ring and parked again
            Assert.True(Drain(reader) > 3);
            Assert.Equal(before + 2, Volatile.Read(ref *ring.SpaceSequence));
        }
        finally
        {
            RingTestShared.FakeParkedWriter(ring, false);
        }
    }

    private static int Drain(RingReader reader)
    {
        var n = 0;
        while (reader.TryAcquire(out _))
        {
            reader.Release();
            n++;
        }
        return n;
    }

    [Fact]
    public void AParkedWriterSleepsInTheKernelBetweenSlices()
    {
        if (!OperatingSystem.IsLinux()) return; // per-thread counters in /proc
        using var ring = RingTestSupport.Create(capacity: 256);
        using var writer = ring.OpenWriter();
        using var reader = ring.OpenReader();
        while (writer.TryClaim(40, out _)) writer.Commit();
        using var cancellation = new CancellationTokenSource();
        var tid = 0;
        Exception? ended = null;
        var thread = new Thread(() =>
        {
            Volatile.Write(ref tid, ThreadStat.CurrentThreadId());
            try
            {
                writer.WaitForSpace(40, cancellation.Token);
            }
            catch (Exception error)
            {
                ended = error;
            }
        });
        thread.Start();
        SpinWait.SpinUntil(() => Volatile.Read(ref tid) != 0, RingTestSupport.Generous);
        Thread.Sleep(400); // past the spin and the first slice check (which compiles the checks): parked
        var before = ThreadStat.Read(tid);
        Thread.Sleep(750);
        var after = ThreadStat.Read(tid);
        cancellation.Cancel();
        Assert.True(thread.Join(RingTestSupport.Generous));
        Assert.IsType<OperationCanceledException>(ended);
        // Parked: three or four 250 ms futex slices, each one voluntary switch and microseconds of CPU.
        // Busy waiting would burn a share of a core (tens of clock ticks, a few on a crowded machine); 1 ms sleeps or sub-millisecond
        // futex timeouts would switch hundreds of times.
        Assert.True(after.CpuTicks - before.CpuTicks <= 3, $"the parked writer used {after.CpuTicks - before.CpuTicks} clock ticks of CPU in 750 ms");
        Assert.True(after.VoluntarySwitches - before.VoluntarySwitches <= 40, $"the parked writer switched {after.VoluntarySwitches - before.VoluntarySwitches} times in 750 ms");
    }

    private sealed class CountingCondition(int* waiters, int readyAtCall) : IRingWaitCondition
    {
        public int Calls { get; private set; }

        public int MostWaitersSeen { get; private set; }

        public bool IsReady()
        {
            MostWaitersSeen = Math.Max(MostWaitersSeen, Volatile.Read(ref *waiters));
            return ++Calls >= readyAtCall;
        }

        public void CheckSlice()
        {
        }
    }
}

/// <summary>Per-thread CPU time and voluntary context switches of this process's threads (Linux /proc).</summary>
internal static class ThreadStat
{
    /// <summary>The kernel thread id of the calling thread.</summary>
    public static int CurrentThreadId() =>
        int.Parse(new FileInfo("/proc/thread-self").LinkTarget!.Split('/')[^1], CultureInfo.InvariantCulture);

    public static (long CpuTicks, long VoluntarySwitches) Read(int tid)
    {
        var stat = File.ReadAllText($"/proc/self/task/{tid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var cpu = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture); // utime + stime
        var switches = File.ReadAllLines($"/proc/self/task/{tid}/status")
            .Single(l => l.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal))["voluntary_ctxt_switches:".Length..].Trim();
        return (cpu, long.Parse(switches, CultureInfo.InvariantCulture));
    }

    /// <summary>Threads of this process whose kernel name (the first 15 characters of the managed name) is <paramref name="name"/>.</summary>
    public static int CountNamed(string name)
    {
        var count = 0;
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n') == name) count++;
            }
            catch (IOException)
            {
                // exited meanwhile
            }
        }
        return count;
    }
}
