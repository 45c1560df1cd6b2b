using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Puma.Runnables.Loop;

/// <summary>An input read from a channel: completion and wake-up; the subclasses read and hand over the items.</summary>
internal abstract class ChannelInputSource<T> : InputSource
{
    private readonly ChannelReader<T> _reader;
    private readonly Action _onReady;
    private ConfiguredValueTaskAwaitable<bool>.ConfiguredValueTaskAwaiter _awaiter;
    private WakeSignal? _wake;
    private volatile bool _armed;

    protected ChannelInputSource(ChannelReader<T> reader)
    {
        _reader = reader;
        _onReady = OnReady;
    }

    public override object Reader => _reader;

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
