using System.Text.RegularExpressions;
using Puma.Runnables;
using Puma.Runtime.Tests.Runnables;
using static Puma.Runtime.Tests.PromiseTestSupport;
using static Puma.Runtime.Tests.TestSupport;

namespace Puma.Runtime.Tests;

/// <summary>README, "Concepts": the loop's turn (at most 64 produce steps) and RunAsync's exclusivity.</summary>
public class PromiseTestsLoop
{
    /// <summary>
    /// Each produce step takes about 50 µs, so after a batch a 1 ms tick is always due: the longest run of
    /// produce steps between two ticks is the batch, exactly 64 (2000 steps, so many full batches).
    /// </summary>
    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task ATurnRunsAtMost64ProduceSteps(Placement placement)
    {
        await using var runtime = NewRuntime();
        runtime.Add(new ProduceBatchProbe { Name = "probe", Steps = 2000 }, placement);
        await runtime.StartAsync();

        var report = await NextStatusAsync(runtime, "probe");
        var match = Regex.Match(report, @"^longest run (\d+), ticks (\d+)$");
        Assert.True(match.Success, report);
        Assert.Equal(64, int.Parse(match.Groups[1].Value));
        // 2000 steps in batches of 64 need at least 31 turns after the first, each with a tick due.
        Assert.True(int.Parse(match.Groups[2].Value) >= 31, report);
        await runtime.WaitAsync().WaitAsync(Patience);
    }

    /// <summary>
    /// RunAsync runs on the runnable's exclusive scheduler: while its loop body runs (yielding between
    /// sections), commands, requests and ticks are served between its awaits and never at the same time.
    /// </summary>
    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task RunAsyncNeverOverlapsCommandsRequestsOrTicks(Placement placement)
    {
        await using var runtime = NewRuntime();
        runtime.Add(new LoopExclusivityChecker { Name = "checker" }, placement);
        await runtime.StartAsync();
        var first = await runtime.AskAsync<long[]>("checker", new GetState(""));

        // Commands and requests for about 300 ms (at least 200 of each), so the loop body runs many times in between.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var commands = Task.Run(async () =>
        {
            var sent = 0;
            for (; sent < 200 || clock.ElapsedMilliseconds < 300; sent++)
            {
                await runtime.SendAsync("checker", new SetGain(sent));
                if (sent % 20 == 0)
                    await Task.Delay(1);
            }
            return sent;
        });
        var requests = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var asked = 0;
            for (; asked < 50 || clock.ElapsedMilliseconds < 300; asked++)
            {
                await runtime.AskAsync<long[]>("checker", new GetState(""));
                if (asked % 5 == 0)
                    await Task.Delay(1);
            }
            return asked;
        })).ToArray();
        var commandsSent = await commands.WaitAsync(Patience);
        var asked = 1 + (await Task.WhenAll(requests).WaitAsync(Patience)).Sum();

        long[] state = [];
        await EventuallyAsync(async () =>
        {
            state = await runtime.AskAsync<long[]>("checker", new GetState(""));
            asked++;
            return state[2] == commandsSent;
        }, "every command handled");
        Assert.True(state[0] == 0, $"{state[0]} overlaps in {state[1]} loop iterations, {state[2]} commands, {state[3]} requests, {state[4]} ticks");
        Assert.True(state[1] > first[1], $"RunAsync did not run between the requests: {first[1]} -> {state[1]} iterations");
        Assert.Equal(asked, state[3]); // each request counts itself before it answers
        Assert.True(state[4] > 0, "no tick fired");
        Assert.True((await runtime.StopAsync()).AllStopped);
    }
}
