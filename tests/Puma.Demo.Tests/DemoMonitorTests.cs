using System.Text.RegularExpressions;

namespace Puma.Demo.Tests;

/// <summary>Issue 14: <c>--monitor</c> shows the runtime's metrics; with the output redirected, as plain lines.</summary>
public class DemoMonitorTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("thread")]
    [InlineData("mixed")]
    public async Task TheMonitorPrintsEveryRunnableAndBufferAsPlainLinesAndTheSummaryStillFollows(string placement)
    {
        await using var demo = DemoProcess.Start("--monitor", "--placement", placement, "--count", "3000", "--frame-size", "64");

        Assert.Equal(0, await demo.ExitCodeAsync(Patience));
        var output = demo.Output;
        foreach (var runnable in (string[])["producer", "processor", "consumer"])
            Assert.Matches(new Regex($@"monitor +[0-9.]+s runnable {runnable} +(Thread|Process) +pid \d+ "), output);
        foreach (var buffer in (string[])["raw", "scaled"])
            Assert.Matches(new Regex($@"monitor +[0-9.]+s buffer +{buffer} +written "), output);
        // The last lines are the totals: every frame went through the processor and both buffers.
        Assert.Contains("items 3,000 in, 3,000 out, restarts 0", output);
        Assert.DoesNotContain("\u001b[", output); // no terminal escape codes in a redirected output
        Assert.Contains("result        OK", output);
        Assert.True(output.IndexOf("monitor", StringComparison.Ordinal) < output.IndexOf("Puma demo summary", StringComparison.Ordinal));
    }
}
