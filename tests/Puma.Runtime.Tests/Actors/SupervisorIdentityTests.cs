using Akka.Actor;
using Puma.Runnables;
using Puma.Runtime.Actors;
using Puma.Runtime.Tests.Runnables;
using static Puma.Runtime.Tests.TestSupport;

namespace Puma.Runtime.Tests.Actors;

/// <summary>Where the supervisor's actors live and how its own log events are tagged.</summary>
public sealed class SupervisorIdentityTests
{
    [Fact]
    public async Task ARuntimeCreatesItsActorsInTheActorSystemOfItsOptions()
    {
        var system = ActorSystem.Create("puma-options-test", PumaAkkaSettings.Configuration);
        try
        {
            await using var runtime = new PumaRuntime(new PumaOptions { ActorSystem = system, Logger = Serilog.Core.Logger.None });
            runtime.Add(new Ticker { Name = "t", IntervalMs = 1000 });
            await runtime.StartAsync();

            Assert.Equal("puma-options-test", runtime.GetActorRef("t").Path.Address.System);
            await runtime.StopAsync();
        }
        finally
        {
            await system.Terminate();
        }
    }

    [Fact]
    public async Task WithoutOneItUsesTheSharedPumaSystem()
    {
        await using var runtime = NewRuntime();
        runtime.Add(new Ticker { Name = "t", IntervalMs = 1000 });
        await runtime.StartAsync();

        Assert.Equal(PumaActorSystem.Shared.Name, runtime.GetActorRef("t").Path.Address.System);
        Assert.NotEqual("puma-options-test", PumaActorSystem.Shared.Name);
        await runtime.StopAsync();
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task TheSupervisorsOwnEventsAreTaggedAsTheSupervisor(Placement placement)
    {
        var sink = new CollectingSink();
        await using var runtime = NewRuntime(FailurePolicy.StopAll, sink.CreateLogger());
        runtime.Add(new Ticker { Name = "doomed", IntervalMs = 1000 }, placement);
        await runtime.StartAsync();

        await runtime.SendAsync("doomed", new Boom("kaboom"));
        await Assert.ThrowsAsync<RunnableFailedException>(() => runtime.WaitAsync().WaitAsync(Patience));

        var failed = Assert.Single(sink.Events, e => e.MessageTemplate.Text.StartsWith("Runnable {Failed} failed", StringComparison.Ordinal));
        Assert.Equal("\"supervisor\"", failed.Properties["Runnable"].ToString());
        Assert.Equal("\"doomed\"", failed.Properties["Failed"].ToString());
        Assert.Equal(Environment.ProcessId.ToString(), failed.Properties["ProcessId"].ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public async Task ABufferNeedsAName(string name)
    {
        await using var runtime = NewRuntime();
        var error = Assert.ThrowsAny<ArgumentException>(() => runtime.CreateBuffer<int>(name, 4));
        Assert.Equal("name", error.ParamName);
    }
}
