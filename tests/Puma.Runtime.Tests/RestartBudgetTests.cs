namespace Puma.Runtime.Tests;

/// <summary>
/// The restart budget on its own, with a clock the test controls: the window slides (a restart is
/// forgotten once it is more than <see cref="RestartPolicy.Window"/> old), and the policies describe
/// themselves and refuse bad arguments by name.
/// </summary>
public class RestartBudgetTests
{
    private static readonly DateTime Start = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static bool[] Decide(RestartPolicy policy, params int[] failureMs)
    {
        var history = new Queue<DateTime>();
        return failureMs.Select(ms => policy.TryRestart(history, Start.AddMilliseconds(ms))).ToArray();
    }

    [Fact]
    public void TheWindowSlidesInsteadOfResettingInBlocks()
    {
        // A tumbling window of 1 s would restart at 1300 ms (a new block); the sliding one still sees
        // the restarts at 600 and 1200 ms and gives up.
        Assert.Equal([true, true, true, false], Decide(FailurePolicy.Restart(2, TimeSpan.FromSeconds(1)), 0, 600, 1200, 1300));
    }

    [Fact]
    public void ARestartExactlyOneWindowOldStillCounts()
    {
        Assert.Equal([true, false, true], Decide(FailurePolicy.Restart(1, TimeSpan.FromSeconds(1)), 0, 1000, 1001));
    }

    [Fact]
    public void ARefusedRestartIsNotRecorded()
    {
        // Refusals at 500 and 900 ms do not enter the history, so at 1001 ms the budget is free again.
        Assert.Equal([true, false, false, true, false], Decide(FailurePolicy.Restart(1, TimeSpan.FromSeconds(1)), 0, 500, 900, 1001, 1500));
    }

    [Fact]
    public void TheBudgetAllowsExactlyMaxRestartsAtOnce()
    {
        Assert.Equal([true, true, true, false], Decide(FailurePolicy.Restart(3, TimeSpan.FromMinutes(1)), 0, 0, 0, 0));
    }

    [Fact]
    public void PoliciesDescribeThemselves()
    {
        var restart = FailurePolicy.Restart(3, TimeSpan.FromSeconds(2));
        Assert.Equal(3, restart.MaxRestarts);
        Assert.Equal(TimeSpan.FromSeconds(2), restart.Window);
        Assert.Equal("Restart(3 within 00:00:02)", restart.ToString());
        Assert.Equal("StopAll", FailurePolicy.StopAll.ToString());
        Assert.Equal("Continue", FailurePolicy.Continue.ToString());
    }

    [Fact]
    public void ABudgetWithoutRestartsOrWithoutAWindowIsRefused()
    {
        var none = Assert.Throws<ArgumentOutOfRangeException>(() => FailurePolicy.Restart(0, TimeSpan.FromSeconds(1)));
        Assert.Equal("maxRestarts", none.ParamName);
        Assert.Equal(0, none.ActualValue);
        Assert.StartsWith("A restart policy allows at least 1 restart.", none.Message);

        var instant = Assert.Throws<ArgumentOutOfRangeException>(() => FailurePolicy.Restart(1, TimeSpan.Zero));
        Assert.Equal("window", instant.ParamName);
        Assert.StartsWith("A restart window must be longer than zero.", instant.Message);
        Assert.Equal(1, FailurePolicy.Restart(1, TimeSpan.FromTicks(1)).MaxRestarts);
    }
}
