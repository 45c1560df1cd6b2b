using Puma.Runnables;
using Puma.Runtime.Tests.Runnables;
using static Puma.Runtime.Tests.TestSupport;

namespace Puma.Runtime.Tests;

/// <summary>Helpers of the promise tests (PromiseTests*.cs) and of the assertions they strengthened.</summary>
public static class PromiseTestSupport
{
    /// <summary>
    /// True for the error AskAsync/SendAsync throw because the runnable's run has ended:
    /// <see cref="Puma.Runnables.RunnableNotRunningException"/>, the same in both placements.
    /// </summary>
    public static bool IsNotRunning(Exception error) =>
        error is Puma.Runnables.RunnableNotRunningException; // the same exception in both placements (issue 9, defect 8)

    /// <summary>True when the runnable (one answering GetState with a string) no longer takes requests: its run ended.</summary>
    public static async Task<bool> EndedAsync(PumaRuntime runtime, string name)
    {
        try
        {
            await runtime.AskAsync<string>(name, new GetState("alive?"));
            return false;
        }
        catch (Exception e) when (IsNotRunning(e))
        {
            return true;
        }
    }

    /// <summary>The next status value <paramref name="runnable"/> reports, as text (other runnables' reports are skipped).</summary>
    public static async Task<string> NextStatusAsync(PumaRuntime runtime, string runnable)
    {
        using var cts = new CancellationTokenSource(Patience);
        while (true)
        {
            var report = await runtime.Status.ReadAsync(cts.Token);
            if (report.Runnable == runnable)
                return report.Value.ToString()!;
        }
    }

    /// <summary>A thread runnable runs in this process; a process runnable in a child of this process.</summary>
    public static void AssertRunsIn(Placement placement, int pid)
    {
        if (placement == Placement.Thread)
        {
            Assert.Equal(Environment.ProcessId, pid);
            return;
        }
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var parent = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
        Assert.Equal(Environment.ProcessId, parent);
    }
}
