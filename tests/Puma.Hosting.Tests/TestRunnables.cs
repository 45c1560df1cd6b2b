using System.Threading.Channels;
using Puma.Runnables;

namespace Puma.Hosting.Tests;

// Public, parameterless, configured through settable properties: the same class runs in a thread or a process.

public sealed record GetPid;

public sealed record GetCount;

public sealed record Feed(int Count);

public sealed record Say(string Text);

/// <summary>Writes 1..Count to its output when it receives <see cref="Feed"/>; otherwise waits (commands only: runs until stopped).</summary>
public sealed class Feeder : Runnable
{
    private int _next = 1;

    public required ChannelWriter<int> Output { get; init; }

    protected override void Configure(Handlers on) => on.Command<Feed>(async (feed, ct) =>
    {
        for (var i = 0; i < feed.Count; i++)
            await Output.WriteAsync(_next++, ct);
    });
}

/// <summary>Answers with its process id and logs what it is told to say (requests only: runs until stopped).</summary>
public sealed class PidAnswerer : Runnable
{
    protected override void Configure(Handlers on) => on
        .Request<GetPid, int>(_ => Environment.ProcessId)
        .Request<Say, string>(say =>
        {
            Log.Information("Saying {Text}", say.Text);
            return say.Text;
        });
}

/// <summary>Counts what it reads; answers with the count and its process id.</summary>
public sealed class Counter : Runnable
{
    private int _count;

    public required ChannelReader<int> Input { get; init; }

    protected override void Configure(Handlers on) => on
        .Input(Input, _ => _count++)
        .Request<GetCount, int>(_ => _count)
        .Request<GetPid, int>(_ => Environment.ProcessId);
}

/// <summary>Throws "boom from thrower" at its first produce step.</summary>
public sealed class Thrower : Runnable
{
    protected override void Configure(Handlers on) => on.Produce(_ => throw new InvalidOperationException("boom from thrower"));
}

/// <summary>Reports the statuses 1..Count, then ends.</summary>
public sealed class StatusReporter : Runnable
{
    private int _next = 1;

    public int Count { get; set; } = 10;

    protected override void Configure(Handlers on) => on.Produce(_ =>
    {
        if (_next > Count)
            return ValueTask.FromResult(false);
        Context.ReportStatus(_next++);
        return ValueTask.FromResult(true);
    });
}

/// <summary>Reports "stuck", then blocks its loop for good: only a kill ends it (place it in a process).</summary>
public sealed class Stuck : Runnable
{
    protected override Task RunAsync(CancellationToken cancellationToken)
    {
        Context.ReportStatus("stuck");
        Thread.Sleep(Timeout.Infinite);
        return Task.CompletedTask;
    }
}

public sealed record Boom;

/// <summary>Throws "boom on command" when it receives <see cref="Boom"/> (commands only: runs until then).</summary>
public sealed class CommandThrower : Runnable
{
    protected override void Configure(Handlers on) => on.Command<Boom>(_ => throw new InvalidOperationException("boom on command"));
}
