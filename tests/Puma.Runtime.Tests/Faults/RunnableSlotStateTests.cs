using Puma.Runnables;
using Puma.Runnables.Loop;
using Puma.Runtime.Supervision;
using Puma.Runtime.Tests.Runnables;

namespace Puma.Runtime.Tests.Faults;

/// <summary>
/// The state a runnable shows in the moment between its run's end and the supervisor's verdict (a race the
/// end-to-end test in <see cref="RunnableInfoTests"/> hits only now and then: CI once saw a failed first run as Starting).
/// </summary>
public class RunnableSlotStateTests
{
    [Fact]
    public void AFirstRunThatFailedUnderARestartPolicyIsRestartingBeforeItsVerdict()
    {
        var slot = SlotWith(FailurePolicy.Restart(3, TimeSpan.FromMinutes(1)), new LoopOutcome(LoopOutcomeKind.Failed, new InvalidOperationException("boom")));

        Assert.Equal(RunnableState.Restarting, slot.Describe(started: true).State);
    }

    [Theory]
    [InlineData(nameof(LoopOutcomeKind.Completed), RunnableState.Completed)]
    [InlineData(nameof(LoopOutcomeKind.Stopped), RunnableState.Stopped)]
    [InlineData(nameof(LoopOutcomeKind.Failed), RunnableState.Failed)]
    [InlineData(nameof(LoopOutcomeKind.UpstreamFailed), RunnableState.Failed)]
    public void AnEndedRunNotToBeRestartedShowsHowItEndedBeforeItsVerdict(string outcome, RunnableState expected)
    {
        var kind = Enum.Parse<LoopOutcomeKind>(outcome);
        var slot = SlotWith(FailurePolicy.StopAll, new LoopOutcome(kind, kind is LoopOutcomeKind.Failed or LoopOutcomeKind.UpstreamFailed ? new InvalidOperationException("boom") : null));

        Assert.Equal(expected, slot.Describe(started: true).State);
    }

    [Fact]
    public void ARunNotReadyYetIsStartingAndAfterARestartRestarting()
    {
        var slot = new RunnableSlot(new Sentinel { Name = "s" }, Placement.Process, FailurePolicy.Restart(3, TimeSpan.FromMinutes(1))) { Current = new EndedRun(null) };
        Assert.Equal(RunnableState.Starting, slot.Describe(started: true).State);

        slot.RestartCount = 1;
        Assert.Equal(RunnableState.Restarting, slot.Describe(started: true).State);
    }

    private static RunnableSlot SlotWith(FailurePolicy policy, LoopOutcome outcome) =>
        new(new Sentinel { Name = "s" }, Placement.Process, policy) { Current = new EndedRun(outcome) };

    /// <summary>A run that ended with <paramref name="outcome"/>, or that is still starting when it is null.</summary>
    private sealed class EndedRun(LoopOutcome? outcome) : IRunnableRun
    {
        public int ProcessId => 4242;
        public bool IsRunning => false;
        public ChildExitStatus? Exit => null;
        public Task<LoopOutcome> Completion { get; } = outcome is null ? new TaskCompletionSource<LoopOutcome>().Task : Task.FromResult(outcome);
        public ValueTask WhenReadyAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
        public bool Answers(Type requestType) => false;
        public void CheckCommand(Type commandType) => throw new NotSupportedException();
        public void CheckRequest(Type requestType) => throw new NotSupportedException();
        public ValueTask SendAsync(object command, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<object?> AskAsync(object request, Type replyType, CancellationToken cancellationToken) => throw new NotSupportedException();
        public void Stop() { }
        public ValueTask<bool> KillAsync() => ValueTask.FromResult(false);
    }
}
