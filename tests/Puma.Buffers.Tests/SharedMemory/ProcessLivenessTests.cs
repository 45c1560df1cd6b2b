using System.Diagnostics;
using Puma.Buffers.SharedMemory;

namespace Puma.Buffers.Tests.SharedMemory;

/// <summary>
/// The liveness check every parked end polls: a live process is alive, an exited one (reaped or a
/// zombie nobody waits for) is not, and ids that cannot name a peer are never alive.
/// </summary>
public class ProcessLivenessTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void AnIdThatCannotNameAProcessIsNotAlive(int pid) => Assert.False(ProcessLiveness.IsAlive(pid));

    [Theory]
    [InlineData("123 (sleep) Z 1 2", true)]
    [InlineData("123 (sleep) X 1 2", true)]
    [InlineData("123 (sleep) x", true)]
    [InlineData("123 (sleep) S 1 2", false)]
    [InlineData("123 (sleep) R", false)]
    [InlineData("123 (a) b) Z 1", true)]
    [InlineData("123 (a) Z b) S 1", false)]
    [InlineData(") Z", true)]
    [InlineData("123 (sleep) ", false)]
    [InlineData("123 (sleep)", false)]
    [InlineData("123 sleep Z", false)]
    [InlineData("", false)]
    public void TheStateFollowsTheLastParenthesisOfTheStatLine(string stat, bool dead) =>
        Assert.Equal(dead, ProcessLiveness.IsDeadState(System.Text.Encoding.ASCII.GetBytes(stat)));

    [Fact]
    public void ThisProcessIsAlive() => Assert.True(ProcessLiveness.IsAlive(Environment.ProcessId));

    [Fact]
    public async Task AChildIsAliveUntilItExits()
    {
        using var child = Process.Start(new ProcessStartInfo("sleep", "30") { UseShellExecute = false })!;
        try
        {
            Assert.True(ProcessLiveness.IsAlive(child.Id));
        }
        finally
        {
            child.Kill();
            await child.WaitForExitAsync().WaitAsync(Patience);
        }
        Assert.False(ProcessLiveness.IsAlive(child.Id));
    }

    [Fact]
    public async Task AZombieIsNotAlive()
    {
        // The shell starts a short sleep in the background, prints its pid and becomes a long `sleep`, which never
        // waits for it: the short one exits and stays a zombie while the long one lives.
        using var parent = Process.Start(new ProcessStartInfo("sh", ["-c", "sleep 0.1 & echo $!; exec sleep 30"])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
        })!;
        try
        {
            var zombie = int.Parse((await parent.StandardOutput.ReadLineAsync().WaitAsync(Patience))!);
            var deadline = DateTime.UtcNow + Patience;
            while (!File.ReadAllText($"/proc/{zombie}/stat").Contains(") Z ", StringComparison.Ordinal))
            {
                Assert.True(DateTime.UtcNow < deadline, $"process {zombie} did not become a zombie");
                await Task.Delay(5);
            }
            Assert.False(ProcessLiveness.IsAlive(zombie));
            Assert.True(ProcessLiveness.IsAlive(parent.Id));
        }
        finally
        {
            parent.Kill();
            await parent.WaitForExitAsync().WaitAsync(Patience);
        }
    }
}
