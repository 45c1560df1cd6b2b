using Puma.Buffers;
using Puma.Runnables;

namespace Puma.Runtime.Tests.Runnables;

/// <summary>Increments a shared value Times times.</summary>
public sealed class ValueIncrementer : Runnable
{
    public required SharedValue<long> Counter { get; init; }

    public int Times { get; set; }

    protected override Task RunAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < Times; i++)
            Counter.Increment();
        return Task.CompletedTask;
    }
}

/// <summary>Adds one to key "k{i % Keys}" of a shared dictionary, Times times, and adds its own name once.</summary>
public sealed class DictionaryCounter : Runnable
{
    public required SharedDictionary<string, long> Counts { get; init; }

    public int Times { get; set; }

    public int Keys { get; set; } = 1;

    protected override Task RunAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < Times; i++)
            Counts.Increment("k" + (i % Keys));
        Counts.TryAdd(Name, Environment.ProcessId);
        return Task.CompletedTask;
    }
}

/// <summary>Waits for Signal to leave 0, then writes twice its value into Echo.</summary>
public sealed class ChangeEcho : Runnable
{
    public required SharedValue<int> Signal { get; init; }

    public required SharedValue<int> Echo { get; init; }

    protected override async Task RunAsync(CancellationToken cancellationToken)
    {
        var value = await Signal.WaitForChangeAsync(0, cancellationToken);
        Echo.Write(value * 2);
    }
}
