// The app the packaging test builds outside the repository, with a PackageReference to Puma.Runtime only.
// It prints four lines: the sum, its own pid, the pid the producer saw in its process, and the pid the runtime
// reports for the producer.
using System.Threading.Channels;
using Puma.Runnables;
using Puma.Runtime;

const int Count = 1000;
await using var runtime = new PumaRuntime(new PumaOptions());
var numbers = runtime.CreateBuffer<int>("numbers", capacity: 64);
runtime.Add(new Producer { Name = "producer", Output = numbers.Writer, Count = Count }, Placement.Process);
runtime.Add(new Summer { Name = "summer", Input = numbers.Reader }, Placement.Thread);
await runtime.StartAsync();

var producerPid = 0;
long? sum = null;
await foreach (var report in runtime.Status.ReadAllAsync())
{
    if (report.Value is ProducerStarted started)
        producerPid = started.ProcessId;
    else if (report.Value is SumDone done)
        sum = done.Sum;
}
await runtime.WaitAsync();

Console.WriteLine($"sum of 1..{Count}: {sum}");
Console.WriteLine($"app pid: {Environment.ProcessId}");
Console.WriteLine($"producer pid: {producerPid}");
Console.WriteLine($"producer pid seen by the runtime: {runtime.GetRunnable("producer").ProcessId}");

/// <summary>Writes 1..Count into its output, first reporting the id of the process it runs in.</summary>
public sealed class Producer : Runnable
{
    private int _next;

    public ChannelWriter<int>? Output { get; set; }

    public int Count { get; set; }

    protected override void Configure(Handlers on) => on.Produce(async ct =>
    {
        if (_next == 0)
            Context.ReportStatus(new ProducerStarted(Environment.ProcessId));
        if (_next == Count)
            return false;
        await Output!.WriteAsync(++_next, ct);
        return true;
    });
}

/// <summary>Adds up its input and reports the sum when the input completes.</summary>
public sealed class Summer : Runnable
{
    private long _sum;

    public ChannelReader<int>? Input { get; set; }

    protected override void Configure(Handlers on) => on
        .Input(Input!, x => _sum += x)
        .InputCompleted(Input!, _ => Context.ReportStatus(new SumDone(_sum)));
}

public sealed record ProducerStarted(int ProcessId);

public sealed record SumDone(long Sum);
