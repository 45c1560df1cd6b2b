using Puma.Runnables.Loop;

namespace Puma.Runnables.Tests;

/// <summary>The loop's own guards: null messages, and a RunAsync body left running when the loop fails.</summary>
public class LoopGuardTests
{
    private sealed class Looping : Runnable
    {
        public TaskCompletionSource<CancellationToken> Token { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override void Configure(Handlers on) => on
            .Command<string>(c => throw new InvalidOperationException(c))
            .Request<int, int>(i => i);

        protected override async Task RunAsync(CancellationToken ct)
        {
            Token.TrySetResult(ct);
            await Task.Delay(Timeout.Infinite, ct);
        }
    }

    [Fact]
    public void ANullCommandOrRequestIsAnArgumentNullException()
    {
        var loop = new RunnableLoop(new Looping(), Placement.Thread, 0, _ => { }, Serilog.Core.Logger.None);

        Assert.Equal("command", Assert.Throws<ArgumentNullException>(() => loop.Send(null!)).ParamName);
        Assert.Equal("request", Assert.Throws<ArgumentNullException>(() => { _ = loop.AskAsync(null!, CancellationToken.None); }).ParamName);
    }

    [Fact]
    public async Task AFailedLoopCancelsTheRunAsyncBodyStillRunning()
    {
        var runnable = new Looping();
        var loop = new RunnableLoop(runnable, Placement.Thread, 0, _ => { }, Serilog.Core.Logger.None);
        var run = loop.RunAsync();
        var token = await runnable.Token.Task.WaitAsync(TimeSpan.FromSeconds(10));

        loop.Send("boom");
        var outcome = await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal((LoopOutcomeKind.Failed, "boom"), (outcome.Kind, outcome.Error!.Message));
        Assert.True(token.IsCancellationRequested, "the body's token was not cancelled when the loop failed");
    }
}
