using Puma.Buffers;
using Puma.Runnables;

namespace Puma.Runtime.Tests.Runnables;

/// <summary>Increments a shared value Times times.</summary>
public sealed class ValueIncrementer : Runnable
{
    public required SharedValue<long> Counter { get; init; }

    /// <summary>When set, the runnables meet on it before they loop, so that they loop at the same time.</summary>
    public SharedValue<int>? Ready { get; init; }

    public int Times { get; set; }

    protected override Task RunAsync(CancellationToken cancellationToken)
    {
        SharedMeeting.Meet(Ready);
        for (var i = 0; i < Times; i++)
            Counter.Increment();
        return Task.CompletedTask;
    }
}

/// <summary>Adds one to key "k{i % Keys}" of a shared dictionary, Times times, and adds its own name once.</summary>
public sealed class DictionaryCounter : Runnable
{
    public required SharedDictionary<string, long> Counts { get; init; }

    /// <summary>When set, the runnables meet on it before they loop, so that they loop at the same time.</summary>
    public SharedValue<int>? Ready { get; init; }

    public int Times { get; set; }

    public int Keys { get; set; } = 1;

    protected override Task RunAsync(CancellationToken cancellationToken)
    {
        SharedMeeting.Meet(Ready);
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

/// <summary>A spin barrier of two on a shared value: each adds one, then waits (spinning, so it stays on a core) until both have.</summary>
public static class SharedMeeting
{
    public static void Meet(SharedValue<int>? ready, int parties = 2)
    {
        if (ready is null)
            return;
        ready.Increment();
        var until = Environment.TickCount64 + 30_000;
        var spin = default(SpinWait);
        while (ready.Read() < parties)
        {
            if (Environment.TickCount64 > until)
                throw new TimeoutException($"only {ready.Read()} of {parties} runnables met in 30 s");
            spin.SpinOnce(sleep1Threshold: -1);
        }
    }
}

/// <summary>Ignores its stop token and keeps using a shared array's span and a shared value for a while: abandoned by a short stop.</summary>
public sealed class StubbornSharedUser : Runnable
{
    public required SharedArray<long> Array { get; init; }

    public required SharedValue<long> Value { get; init; }

    public int IgnoreMs { get; set; } = 1500;

    [System.Text.Json.Serialization.JsonIgnore]
    public TaskCompletionSource<Exception?> Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            var span = Array.AsSpan();
            var until = Environment.TickCount64 + IgnoreMs;
            while (Environment.TickCount64 < until)
            {
                for (var i = 0; i < span.Length; i++)
                    span[i]++;
                Value.Increment();
                Thread.Sleep(1);
            }
            Finished.TrySetResult(null);
        }
        catch (Exception e)
        {
            Finished.TrySetResult(e);
        }
        return Task.CompletedTask;
    }
}
