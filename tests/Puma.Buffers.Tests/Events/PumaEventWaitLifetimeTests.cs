using System.Diagnostics;
using Puma.Buffers.Events;

namespace Puma.Buffers.Tests.Events;

/// <summary>
/// What a wait leaves behind and what it may block on: cancels racing sets, timed-out waits, the registration of a
/// completed wait, the waiter count, and disposing while the waiter thread is busy.
/// </summary>
public class PumaEventWaitLifetimeTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task CancelsRacingSetsNeverDeadlockTheEvent()
    {
        await using var e = PumaEvent.Create("race");
        var clock = Stopwatch.StartNew();
        var rounds = 0;
        await Task.Run(async () =>
        {
            while (clock.ElapsedMilliseconds < 1000 || rounds < 50)
            {
                var delay = Stopwatch.Frequency * (rounds++ % 50) / 100_000; // 0 to 490 µs: sweeps the cancels across the waiter thread's wake-up and completions
                var sources = Enumerable.Range(0, 32).Select(_ => new CancellationTokenSource()).ToArray();
                var waits = sources.Select(s => e.WaitAsync(s.Token).AsTask()).ToArray();
                using var start = new Barrier(2);
                var cancel = Task.Run(() =>
                {
                    start.SignalAndWait();
                    var begin = Stopwatch.GetTimestamp();
                    while (Stopwatch.GetTimestamp() - begin < delay)
                        Thread.SpinWait(1);
                    foreach (var source in sources)
                        source.Cancel();
                });
                start.SignalAndWait();
                e.Set();
                await cancel;
                foreach (var wait in waits)
                {
                    try
                    {
                        await wait;
                    }
                    catch (OperationCanceledException)
                    {
                        // cancelled before the set reached it: as good as completed
                    }
                }
                e.Reset();
                foreach (var source in sources)
                    source.Dispose();
            }
        }).WaitAsync(Patience);

        Assert.Equal(0, e.PendingWaits);
        var next = e.WaitAsync().AsTask();
        e.Set();
        await next.WaitAsync(Patience);
    }

    [Fact]
    public async Task ACancelWhoseCallbackRunsWhileTheWaitIsBeingCompletedDoesNotDeadlock()
    {
        // All in a task with a deadline: a deadlocked event would also hang its disposal.
        await Task.Run(async () =>
        {
            await using var e = PumaEvent.Create("cancel-in-completion");
            using var cts = new CancellationTokenSource();
            var wait = e.WaitAsync(cts.Token).AsTask();
            using var cancelling = new ManualResetEventSlim();
            Task? cancel = null;
            // Armed after the wait, so the waiter thread runs it first of the two, then completes the wait: by then
            // the cancel's callback is running on another thread.
            e.Arm(EventCondition.Signalled, 0, () =>
            {
                cancel = Task.Run(() =>
                {
                    cancelling.Set();
                    cts.Cancel();
                });
                cancelling.Wait(Patience);
                Thread.Sleep(100); // the cancel's callback is now inside (or waiting for) the event
            });
            e.Set();

            try
            {
                await wait;
            }
            catch (OperationCanceledException)
            {
                // completed or cancelled: both are fine, a hang is not
            }
            await cancel!;
            e.Reset();
            var next = e.WaitAsync().AsTask();
            e.Set();
            await next;
        }).WaitAsync(Patience);
    }

    [Fact]
    public async Task WaitsThatTimeOutLeaveNothingPendingAndNothingParked()
    {
        await using var e = PumaEvent.Create("timeouts");
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => e.WaitAsync(TimeSpan.FromMilliseconds(50)).AsTask()));
        Assert.All(results, Assert.False);
        Assert.Equal(0, e.PendingWaits);
        await WhenAsync(() => e.ParkedWaiters == 0); // the waiter thread's last park times out
        Assert.Equal(0, e.ParkedWaiters);
    }

    [Fact]
    public async Task AWaitThatTimesOutStillSeesTheCallersCancellation()
    {
        await using var e = PumaEvent.Create("timeout-cancel");
        using var cts = new CancellationTokenSource(50);
        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => e.WaitAsync(TimeSpan.FromSeconds(30), cts.Token).AsTask());
        Assert.Equal(cts.Token, error.CancellationToken);
        Assert.Equal(0, e.PendingWaits);
        Assert.False(await e.WaitAsync(TimeSpan.Zero));
    }

    [Fact]
    public async Task NobodyIsCountedParkedOnceTheWaitsEnded()
    {
        await using var e = PumaEvent.Create("parked");
        var wait = e.WaitAsync().AsTask();
        await WhenAsync(() => e.ParkedWaiters == 1);
        e.Set();
        await wait.WaitAsync(Patience);
        await WhenAsync(() => e.ParkedWaiters == 0);
        Assert.Equal(0, e.ParkedWaiters);
        Assert.Equal(0, e.PendingWaits);
    }

    [Fact]
    public void ARegistrationAttachedToACompletedWaitIsUnregisteredAtOnce()
    {
        var wait = new EventWait(EventCondition.SetOrSignalled, 0, callback: null);
        wait.Complete();
        using var cts = new CancellationTokenSource();
        var called = false;
        wait.Attach(cts.Token.UnsafeRegister(_ => called = true, null));
        cts.Cancel();
        Assert.False(called);
        Assert.True(wait.Completion!.Task.IsCompletedSuccessfully);
    }

    [Fact]
    public void EndingAWaitUnregistersItsCancellation()
    {
        var wait = new EventWait(EventCondition.SetOrSignalled, 0, callback: null);
        using var cts = new CancellationTokenSource();
        var called = false;
        wait.Attach(cts.Token.UnsafeRegister(_ => called = true, null));
        wait.Fail(new InvalidOperationException("gone"));
        cts.Cancel();
        Assert.False(called);
        Assert.IsType<InvalidOperationException>(wait.Completion!.Task.Exception!.InnerException);
    }

    [Fact]
    public async Task DisposeAsyncDoesNotBlockOnABusyWaiterThread()
    {
        var e = PumaEvent.Create("busy");
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        e.Arm(EventCondition.Signalled, 0, () =>
        {
            entered.Set();
            release.Wait(Patience);
        });
        e.Pulse();
        Assert.True(entered.Wait(Patience)); // the waiter thread is inside the callback

        var disposing = e.DisposeAsync().AsTask();
        Assert.False(disposing.IsCompleted);
        Assert.Throws<ObjectDisposedException>(() => e.IsSet);
        release.Set();
        await disposing.WaitAsync(Patience);
    }

    [Fact]
    public async Task ADisposedEventNamesItselfWhenWaitedFor()
    {
        var e = PumaEvent.Create("named");
        var wait = e.WaitAsync().AsTask();
        await WhenAsync(() => e.PendingWaits == 1);
        await e.DisposeAsync();
        var error = await Assert.ThrowsAsync<ObjectDisposedException>(() => wait.WaitAsync(Patience));
        Assert.Contains("'named'", error.Message);
        Assert.Contains("'named'", Assert.Throws<ObjectDisposedException>(() => { _ = e.WaitAsync(); }).Message);
    }

    private static async Task WhenAsync(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition() && clock.Elapsed < Patience)
            await Task.Delay(10);
    }
}
