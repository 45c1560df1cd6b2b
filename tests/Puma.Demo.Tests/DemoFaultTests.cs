using System.Diagnostics;

namespace Puma.Demo.Tests;

/// <summary>
/// Issue 9, defect 1: the demo used to hang forever after one of its children was killed. Now it prints the
/// failure (runnable, pid, signal) and exits with code 1, and no child outlives it.
/// </summary>
public class DemoFaultTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static TheoryData<string, string> Victims => new()
    {
        { "process", "producer" },
        { "process", "processor" },
        { "process", "consumer" },
        { "mixed", "processor" },
    };

    [Theory]
    [MemberData(nameof(Victims))]
    public async Task KillingAChildEndsTheDemoWithTheFailure(string placement, string victim)
    {
        await using var demo = DemoProcess.Start("--placement", placement, "--count", "100000000");
        var children = placement == "process" ? new[] { "producer", "processor", "consumer" } : new[] { "processor" };
        var pids = await demo.ChildPidsAsync(children, Patience);
        await Task.Delay(300); // frames are flowing

        var clock = Stopwatch.StartNew();
        using (var process = Process.GetProcessById(pids[victim]))
            process.Kill();
        var exitCode = await demo.ExitCodeAsync(Patience);
        var exited = clock.Elapsed;

        Assert.Equal(1, exitCode);
        Assert.Contains($"The pipeline failed: runnable {victim} (pid {pids[victim]}, Process): The child process {pids[victim]} running '{victim}' died without reporting: killed by SIGKILL (exit code 137).", demo.Output);
        // Measured here in tens of milliseconds; a hang is what this guards against.
        Assert.True(exited < TimeSpan.FromSeconds(10), $"the demo took {exited} to exit after the kill");
        foreach (var (name, pid) in pids)
            Assert.True(IsGone(pid), $"child {name} (pid {pid}) outlived the demo");
    }

    [Fact]
    public async Task TheDemoRunsToTheEndInAProcessPlacement()
    {
        await using var demo = DemoProcess.Start("--placement", "process", "--count", "2000", "--frame-size", "64");

        Assert.Equal(0, await demo.ExitCodeAsync(Patience));
        Assert.Contains("result        OK", demo.Output);
        Assert.DoesNotContain("akka", demo.Output, StringComparison.OrdinalIgnoreCase); // Akka prints nothing of its own
    }

    [Fact]
    public async Task TheClusterDemoRunsOnTwoNodeAgentsToTheEndAndLeavesNoProcessBehind()
    {
        await using var demo = DemoProcess.Start("--placement", "cluster", "--count", "5000", "--frame-size", "256");
        var pids = await demo.ChildPidsAsync(["producer", "processor", "consumer"], Patience);

        Assert.Equal(0, await demo.ExitCodeAsync(Patience));
        Assert.Contains("result        OK", demo.Output);
        Assert.Matches(@"Runnable producer runs in child process \d+ on node akka\.tcp://puma@127\.0\.0\.2:\d+", demo.Output);
        Assert.Matches(@"Runnable processor runs in child process \d+ on node akka\.tcp://puma@127\.0\.0\.3:\d+", demo.Output);
        Assert.Contains("first frame with the new gain #", demo.Output);
        var agents = System.Text.RegularExpressions.Regex.Matches(demo.Output, @"Node agent \S+ \(pid (\d+)\) joined").Select(m => int.Parse(m.Groups[1].Value)).ToArray();
        Assert.Equal(2, agents.Length);
        // The agents' children die with them (SIGKILL on the parent's death) or before them.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline && !pids.Values.Concat(agents).All(IsGone))
            await Task.Delay(50);
        foreach (var pid in pids.Values.Concat(agents))
            Assert.True(IsGone(pid), $"process {pid} outlived the demo");
    }

    private static bool IsGone(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return true;
        }
    }
}
