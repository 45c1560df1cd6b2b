using Puma.Buffers.Events;

namespace Puma.Buffers.Tests.Events;

/// <summary>The count of threads inside an event's mapping: released once, after the last one left, never while one is in.</summary>
public class UseCountTests
{
    [Fact]
    public void ClosingWithNobodyInReleasesAtOnceAndOnlyOnce()
    {
        var releases = 0;
        var users = new UseCount(() => releases++);
        Assert.True(users.Close());
        Assert.Equal(1, releases);
        Assert.False(users.Close());
        Assert.False(users.TryEnter());
        Assert.Equal(1, releases);
    }

    [Fact]
    public void ClosingWhileSomeoneIsInReleasesWhenTheLastOneLeaves()
    {
        var releases = 0;
        var users = new UseCount(() => releases++);
        Assert.True(users.TryEnter());
        Assert.True(users.TryEnter());
        Assert.True(users.Close());
        Assert.Equal(0, releases);
        users.Exit();
        Assert.Equal(0, releases);
        users.Exit();
        Assert.Equal(1, releases);
    }

    [Fact]
    public async Task AThreadStillUsingADisposedEventGetsObjectDisposedAndNeverTouchesUnmappedMemory()
    {
        for (var round = 0; round < 20; round++)
        {
            var e = PumaEvent.Create("busy");
            using var started = new SemaphoreSlim(0);
            var user = Task.Factory.StartNew(() =>
            {
                started.Release();
                while (true)
                {
                    e.Set();
                    _ = e.IsSet;
                    e.Reset();
                    e.Pulse();
                }
            }, TaskCreationOptions.LongRunning);
            await started.WaitAsync();
            await Task.Delay(5);
            e.Dispose();
            await Assert.ThrowsAsync<ObjectDisposedException>(() => user.WaitAsync(TimeSpan.FromSeconds(20)));
        }
    }
}
