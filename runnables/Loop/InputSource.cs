using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Puma.Runnables.Loop;

/// <summary>One input of a loop: reads items in bounded batches and wakes the loop when data arrives.</summary>
internal abstract class InputSource
{
    public abstract object Reader { get; }

    public Func<Exception?, CancellationToken, ValueTask>? OnCompleted { get; set; }

    public bool Done { get; set; }

    /// <summary>The most items handled per turn of the loop.</summary>
    public int MaxBatch { get; init; } = Handlers.DefaultInputBatch;

    /// <summary>Handles up to <paramref name="max"/> items that are available now.</summary>
    public abstract ValueTask<int> ProcessBatchAsync(int max, CancellationToken cancellationToken);

    /// <summary>True when the input is completed and drained; <paramref name="error"/> is its completion error.</summary>
    public abstract bool IsFinished(out Exception? error);

    /// <summary>Arranges for <paramref name="wake"/> to be set when the input has data or completes; true when it already has.</summary>
    public abstract bool Arm(WakeSignal wake);
}

internal sealed class InputSource<T> : InputSource
{
    private readonly ChannelReader<T> _reader;
    private readonly Func<T, CancellationToken, ValueTask> _handler;
    private readonly Action _onReady;
    private ConfiguredValueTaskAwaitable<bool>.ConfiguredValueTaskAwaiter _awaiter;
    private WakeSignal? _wake;
    private volatile bool _armed;

    public InputSource(ChannelReader<T> reader, Func<T, CancellationToken, ValueTask> handler)
    {
        _reader = reader;
        _handler = handler;
        _onReady = OnReady;
    }

    public override object Reader => _reader;

    /// <remarks>
    /// Synchronous while every item is there (<c>TryRead</c>) and every handler completes at once:
    /// no async state machine per turn; the first handler that does not complete synchronously
    /// hands the rest of the batch to <see cref="ContinueBatchAsync"/>.
    /// </remarks>
    public override ValueTask<int> ProcessBatchAsync(int max, CancellationToken cancellationToken)
    {
        var n = 0;
        while (n < max && _reader.TryRead(out var item))
        {
            n++;
            var pending = _handler(item, cancellationToken);
            if (!pending.IsCompletedSuccessfully)
                return ContinueBatchAsync(pending, n, max, cancellationToken);
        }
        return new ValueTask<int>(n);
    }

    private async ValueTask<int> ContinueBatchAsync(ValueTask pending, int n, int max, CancellationToken cancellationToken)
    {
        await pending;
        while (n < max && _reader.TryRead(out var item))
        {
            n++;
            pending = _handler(item, cancellationToken);
            if (!pending.IsCompletedSuccessfully)
                await pending;
        }
        return n;
    }

    public override bool IsFinished(out Exception? error)
    {
        error = null;
        var completion = _reader.Completion;
        if (!completion.IsCompleted)
            return false;
        if (completion.IsFaulted)
            error = completion.Exception!.InnerExceptions.Count == 1 ? completion.Exception.InnerException : completion.Exception;
        else if (completion.IsCanceled)
            error = new OperationCanceledException("The input was cancelled.");
        return true;
    }

    public override bool Arm(WakeSignal wake)
    {
        if (_armed)
            return false;
        var wait = _reader.WaitToReadAsync();
        if (wait.IsCompleted)
        {
            Consume(wait.ConfigureAwait(false).GetAwaiter());
            return true;
        }
        _wake = wake;
        _armed = true;
        _awaiter = wait.ConfigureAwait(false).GetAwaiter();
        _awaiter.UnsafeOnCompleted(_onReady);
        return false;
    }

    private void OnReady()
    {
        Consume(_awaiter);
        _awaiter = default;
        _armed = false;
        _wake?.Set();
    }

    private static void Consume(ConfiguredValueTaskAwaitable<bool>.ConfiguredValueTaskAwaiter awaiter)
    {
        try
        {
            awaiter.GetResult();
        }
        catch
        {
            // The loop sees the completion error through Completion; the wait only wakes it.
        }
    }
}
