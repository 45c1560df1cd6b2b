using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Puma.Runnables;
using Puma.Runtime;

namespace Puma.Hosting.Tests;

/// <summary>Akka.Hosting: the host's ActorSystem carries the supervisor, and Akka code reaches a runnable through its actor.</summary>
public sealed class AkkaHostingTests
{
    [Theory]
    [InlineData(Placement.Thread)]
    [InlineData(Placement.Process)]
    public async Task With_AddAkka_the_runnables_are_actors_of_the_hosts_ActorSystem_that_Akka_code_asks_and_stopping_the_host_leaves_nothing(Placement placement)
    {
        var shmBefore = ProcessProbe.ShmEntries();
        int pid;
        using (var host = TestHosts.Build(
            puma => puma.Configure((runtime, _) =>
            {
                var numbers = runtime.CreateBuffer<int>("numbers", 16);
                runtime.Add(new Feeder { Name = "feeder", Output = numbers.Writer });
                runtime.Add(new Counter { Name = "answerer", Input = numbers.Reader }, placement);
            }),
            services: s => s.AddAkka("hosted", akka => akka.WithPuma())))
        {
            var runtime = host.Services.GetRequiredService<PumaRuntime>();
            var system = host.Services.GetRequiredService<ActorSystem>();
            await host.StartAsync();

            var answerer = runtime.GetActorRef("answerer");
            Assert.Same(system, host.Services.GetRequiredService<PumaOptions>().ActorSystem);
            Assert.Equal("hosted", answerer.Path.Address.System);
            pid = await answerer.Ask<int>(new GetPid(), TestHosts.Timeout);
            Assert.Equal(runtime.GetRunnable("answerer").ProcessId, pid);
            Assert.Equal(placement == Placement.Thread, pid == Environment.ProcessId);

            runtime.GetActorRef("feeder").Tell(new Feed(3));
            Assert.Equal(3, await PollAsync(() => answerer.Ask<int>(new GetCount(), TestHosts.Timeout), 3));

            await host.StopAsync();
            Assert.Equal(RunnableState.Stopped, runtime.GetRunnable("answerer").State);
        }

        if (placement == Placement.Process)
            Assert.False(ProcessProbe.IsAlive(pid), $"child {pid} outlived the host");
        Assert.Empty(ProcessProbe.OpenPumaSegments());
        Assert.Empty(ProcessProbe.ShmEntries().Except(shmBefore));
    }

    private static async Task<int> PollAsync(Func<Task<int>> read, int expected)
    {
        var until = DateTime.UtcNow + TestHosts.Timeout;
        var value = await read();
        while (value != expected && DateTime.UtcNow < until)
        {
            await Task.Delay(20);
            value = await read();
        }

        return value;
    }
}
