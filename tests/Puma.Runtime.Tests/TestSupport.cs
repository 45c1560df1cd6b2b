using System.Collections.Concurrent;
using System.Threading.Channels;
using Puma.Runnables;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace Puma.Runtime.Tests;

/// <summary>Shared test helpers: the placements every runtime behaviour runs in, and bounded waits.</summary>
public static class TestSupport
{
    /// <summary>Liveness bound for one wait in a test: generous, speed is measured in bench/.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    public static TheoryData<Placement> Placements => new() { Placement.Thread, Placement.Process };


    public static async Task<List<T>> ReadAllAsync<T>(ChannelReader<T> reader, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Patience);
        var items = new List<T>();
        await foreach (var item in reader.ReadAllAsync(cts.Token))
            items.Add(item);
        return items;
    }

    public static async Task<T> ReadOneAsync<T>(ChannelReader<T> reader, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Patience);
        return await reader.ReadAsync(cts.Token);
    }

    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? Patience);
        while (DateTime.UtcNow < until)
        {
            if (await condition())
                return;
            await Task.Delay(20);
        }
        Assert.Fail($"Timed out waiting for: {what}");
    }

    /// <summary>Asserts that <paramref name="error"/> is a <typeparamref name="T"/>, or its copy from a child process.</summary>
    public static void AssertErrorType<T>(Exception? error) where T : Exception
    {
        Assert.NotNull(error);
        if (error is Puma.Logging.RemoteException remote)
            Assert.Equal(typeof(T).FullName, remote.RemoteType);
        else
            Assert.IsType<T>(error, exactMatch: false);
    }

    public static PumaRuntime NewRuntime(FailurePolicy? policy = null, ILogger? logger = null, TimeSpan? stopTimeout = null) =>
        new(new PumaOptions
        {
            FailurePolicy = policy ?? FailurePolicy.StopAll,
            Logger = logger ?? Logger.None,
            StopTimeout = stopTimeout ?? TimeSpan.FromSeconds(5),
        });
}

/// <summary>A Serilog sink that keeps every event, for assertions.</summary>
public sealed class CollectingSink : ILogEventSink
{
    public ConcurrentQueue<LogEvent> Events { get; } = new();

    public void Emit(LogEvent logEvent) => Events.Enqueue(logEvent);

    public ILogger CreateLogger() => new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(this).CreateLogger();
}
