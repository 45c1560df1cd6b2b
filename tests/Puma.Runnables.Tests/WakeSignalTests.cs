using Puma.Runnables.Loop;

namespace Puma.Runnables.Tests;

/// <summary>The loop's auto-reset wake signal: a Set before the wait is kept once, a wait completes on the next Set.</summary>
public class WakeSignalTests
{
    [Fact]
    public void ASetBeforeTheWaitIsKeptForOneWaitOnly()
    {
        var signal = new WakeSignal();
        signal.Set();
        signal.Set(); // auto-reset: two Sets with nobody waiting are one

        Assert.True(signal.WaitAsync().IsCompletedSuccessfully);
        Assert.False(signal.WaitAsync().IsCompleted);
    }

    [Fact]
    public async Task AWaitCompletesOnTheNextSetAndWaitersShareIt()
    {
        var signal = new WakeSignal();
        var first = signal.WaitAsync();
        var second = signal.WaitAsync();
        Assert.Same(first, second);
        Assert.False(first.IsCompleted);

        signal.Set();

        await first.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(signal.WaitAsync().IsCompleted); // the Set was used by the waiters, not kept
    }
}
