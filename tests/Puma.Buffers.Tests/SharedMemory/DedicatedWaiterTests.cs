using Puma.Buffers.SharedMemory;

namespace Puma.Buffers.Tests.SharedMemory;

/// <summary>
/// The dedicated waiter thread behind the ends' async waits, driven with a blocking wait of the
/// test's own: which thread runs a wait, how cancellation and stopping wake it, where
/// continuations run. Fallback timeouts are generous; nothing here asserts speed.
/// </summary>
public sealed class DedicatedWaiterTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task AWaitRunsOnTheNamedBackgroundThreadAndSoDoesTheNext()
    {
        var threads = new List<(int Id, string? Name, bool Background, bool Pool)>();
        using var waiter = new DedicatedWaiter(_ =>
        {
            var thread = Thread.CurrentThread;
            lock (threads) threads.Add((thread.ManagedThreadId, thread.Name, thread.IsBackground, thread.IsThreadPoolThread));
            return true;
        }, () => { }, "test-waiter-a");
        Assert.True(await waiter.WaitAsync(default).AsTask().WaitAsync(Bound));
        Assert.True(await waiter.WaitAsync(default).AsTask().WaitAsync(Bound));
        Assert.Equal(2, threads.Count);
        Assert.Equal(threads[0].Id, threads[1].Id);
        Assert.All(threads, t =>
        {
            Assert.Equal("test-waiter-a", t.Name);
            Assert.True(t.Background);
            Assert.False(t.Pool);
        });
    }

    [Fact]
    public async Task AConcurrentSecondWaitRunsOnALongRunningTask()
    {
        using var gate = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();
        var pool = new List<bool>();
        using var waiter = new DedicatedWaiter(_ =>
        {
            lock (pool) pool.Add(Thread.CurrentThread.IsThreadPoolThread);
            started.Set();
            return gate.Wait(Bound);
        }, () => { }, "test-waiter-b");
        var first = waiter.WaitAsync(default).AsTask();
        Assert.True(started.Wait(Bound));
        var second = waiter.WaitAsync(default).AsTask();
        Assert.Equal(TaskCreationOptions.LongRunning | TaskCreationOptions.DenyChildAttach, second.CreationOptions);
        gate.Set();
        Assert.True(await first.WaitAsync(Bound));
        Assert.True(await second.WaitAsync(Bound));
        Assert.Equal([false, false], pool);
    }

    [Fact]
    public async Task ContinuationsDoNotRunOnTheWaiterThread()
    {
        using var waiter = new DedicatedWaiter(_ => true, () => { }, "test-waiter-c");
        var continuedOn = await waiter.WaitAsync(default).AsTask()
            .ContinueWith(_ => Thread.CurrentThread.Name, TaskContinuationOptions.ExecuteSynchronously)
            .WaitAsync(Bound);
        Assert.NotEqual("test-waiter-c", continuedOn);
    }

    [Fact]
    public void ADisposedWaiterRefusesAWait()
    {
        var waiter = new DedicatedWaiter(_ => true, () => { }, "test-waiter-d");
        waiter.Dispose();
        Assert.Throws<ObjectDisposedException>(() => { _ = waiter.WaitAsync(default); });
    }

    [Fact]
    public async Task CancellingTheTokenWakesTheBlockingWait()
    {
        using var parked = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();
        var wakes = 0;
        using var waiter = new DedicatedWaiter(token =>
        {
            started.Set();
            parked.Wait(Bound);
            token.ThrowIfCancellationRequested();
            return true;
        }, () =>
        {
            Interlocked.Increment(ref wakes);
            parked.Set();
        }, "test-waiter-e");
        using var cancellation = new CancellationTokenSource();
        var wait = waiter.WaitAsync(cancellation.Token).AsTask();
        Assert.True(started.Wait(Bound));
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(Bound));
        Assert.Equal(1, Volatile.Read(ref wakes));
    }

    [Fact]
    public async Task AFinishedWaitNoLongerListensToItsToken()
    {
        var wakes = 0;
        using var waiter = new DedicatedWaiter(_ => true, () => Interlocked.Increment(ref wakes), "test-waiter-f");
        using var cancellation = new CancellationTokenSource();
        Assert.True(await waiter.WaitAsync(cancellation.Token).AsTask().WaitAsync(Bound));
        await cancellation.CancelAsync();
        Assert.Equal(0, Volatile.Read(ref wakes));
    }

    [Fact]
    public async Task StoppingWakesAPendingWaitAndJoinsTheThread()
    {
        using var parked = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();
        var wakes = 0;
        var waiter = new DedicatedWaiter(_ =>
        {
            started.Set();
            return parked.Wait(Bound);
        }, () =>
        {
            Interlocked.Increment(ref wakes);
            parked.Set();
        }, "test-waiter-g");
        var wait = waiter.WaitAsync(default).AsTask();
        Assert.True(started.Wait(Bound));
        Assert.True(waiter.Stop());
        Assert.Equal(1, Volatile.Read(ref wakes));
        Assert.True(await wait);
        Assert.True(waiter.Stop()); // again: nothing left to stop
        Assert.Equal(1, Volatile.Read(ref wakes));
    }

    [Fact]
    public void StoppingAWaiterThatNeverWaitedSucceeds()
    {
        var waiter = new DedicatedWaiter(_ => true, () => { }, "test-waiter-h");
        Assert.True(waiter.Stop());
    }

    [Fact]
    public async Task StoppingFromTheWaiterThreadItselfDoesNotWaitForItself()
    {
        DedicatedWaiter? self = null;
        bool? stopped = null;
        var waiter = new DedicatedWaiter(_ =>
        {
            stopped = self!.Stop();
            return true;
        }, () => { }, "test-waiter-i");
        self = waiter;
        Assert.True(await waiter.WaitAsync(default).AsTask().WaitAsync(Bound));
        Assert.True(stopped);
    }

    [Fact]
    public async Task AnIdleWaiterThreadUsesNoCpu()
    {
        if (!OperatingSystem.IsLinux()) return; // per-thread counters in /proc
        var tid = 0;
        using var waiter = new DedicatedWaiter(_ =>
        {
            tid = ThreadStat.CurrentThreadId();
            return true;
        }, () => { }, "test-waiter-j");
        Assert.True(await waiter.WaitAsync(default).AsTask().WaitAsync(Bound));
        await Task.Delay(100);
        var before = ThreadStat.Read(tid);
        await Task.Delay(1000);
        var after = ThreadStat.Read(tid);
        // Blocked on its semaphore the thread is never running at a clock tick: 0 (1 allows one unlucky sample).
        Assert.True(after.CpuTicks - before.CpuTicks <= 1, $"the idle waiter thread used {after.CpuTicks - before.CpuTicks} clock ticks of CPU in 1 s");
    }
}
