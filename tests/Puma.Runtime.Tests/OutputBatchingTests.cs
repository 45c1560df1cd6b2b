using Puma.Runnables;
using Puma.Runtime.Tests.Runnables;
using static Puma.Runtime.Tests.TestSupport;

namespace Puma.Runtime.Tests;

/// <summary>
/// The loop batches a runnable's ring outputs only around synchronous handlers: an item an asynchronous handler wrote
/// reaches its reader while the handler still awaits (a held batch would hang here until the handler's await ended).
/// </summary>
public class OutputBatchingTests
{
    [Fact]
    public async Task AnItemWrittenBeforeAnAwaitReachesAReaderInAnotherProcessDuringTheAwait()
    {
        await using var runtime = NewRuntime();
        var input = runtime.CreateBuffer<int>("in", 8);
        var output = runtime.CreateBuffer<int>("out", 8);
        runtime.Add(new AwaitingForwarder { Name = "forwarder", Input = input.Reader, Output = output.Writer }, Placement.Thread);
        runtime.Add(new ReportingSink { Name = "sink", Input = output.Reader }, Placement.Process); // the thread writes into a ring
        var writer = input.Writer;
        await runtime.StartAsync();

        for (var i = 0; i < 5; i++)
        {
            await writer.WriteAsync(i);
            var report = await ReadOneAsync(runtime.Status); // the forwarder is still awaiting the gate here
            Assert.Equal(("sink", (object)i), (report.Runnable, report.Value));
            AwaitingForwarder.Gate.Release();
        }
        writer.Complete();
        await runtime.WaitAsync().WaitAsync(Patience);
    }
}
