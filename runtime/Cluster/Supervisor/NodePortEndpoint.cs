using Puma.Buffers.SharedMemory;
using Puma.Runtime.Cluster.Bridge;
using Serilog;

namespace Puma.Runtime.Cluster.Supervisor;

/// <summary>
/// The supervisor's end of one port of a runnable placed on nodes: it holds the port's place in the buffer's ring here
/// (a writer reference, or the reader slot) for the runnable's whole life, and pumps each run's bridge stream into or
/// out of it. A run that is lost leaves the place as it was, so the restarted run (on any node) reconnects with the
/// same token and goes on from there.
/// </summary>
internal sealed class NodePortEndpoint : IAsyncDisposable
{
    private readonly BridgeListener _listener;
    private readonly SharedMemoryRing _ring;
    private readonly int _readerSlot;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _cancel = new();
    private readonly TaskCompletionSource _closing = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _loop;
    private RingWriter? _writer;
    private RingReader? _reader;

    public NodePortEndpoint(BridgeListener listener, SharedMemoryRing ring, string runnable, string port, bool isWriter, int readerSlot, ILogger log)
    {
        _listener = listener;
        _ring = ring;
        Runnable = runnable;
        Port = port;
        IsWriter = isWriter;
        _readerSlot = readerSlot;
        _log = log;
        Token = BridgeToken.New();
        _loop = ServeAsync();
    }

    /// <summary>The runnable whose port this is.</summary>
    public string Runnable { get; }

    /// <summary>The port (the runnable's property).</summary>
    public string Port { get; }

    /// <summary>True for an output port: data flows from the node into the ring here.</summary>
    public bool IsWriter { get; }

    /// <summary>What a run's bridge presents when it connects.</summary>
    public string Token { get; }

    /// <summary>
    /// The runnable ended for good: no run connects again. The stream being pumped (a writer's last items) is pumped to
    /// its end, then the port's place in the ring is given up: a writer reference still held is released (the
    /// runtime has completed the buffer as the runnable's end says), a reader slot is closed so writers stop keeping
    /// items for it.
    /// </summary>
    public void Close() => _closing.TrySetResult();

    private async Task ServeAsync()
    {
        await Task.Yield();
        using var expecting = CancellationTokenSource.CreateLinkedTokenSource(_cancel.Token);
        Task<Stream>? next = null;
        try
        {
            next = _listener.Expect(Token, expecting.Token);
            while (true)
            {
                // A run that connected is served even when the runnable has ended since (Task.WhenAny takes the first
                // completed task in order): what it sent is part of the buffer.
                var arrived = await Task.WhenAny(next, _closing.Task).ConfigureAwait(false);
                if (arrived != next)
                    return;
                var stream = await next.ConfigureAwait(false);
                // The next run may connect while this stream is still pumped (a restart: this run failed). A reader
                // port's stream is cut at once (what the failed run had not read is lost with it); a writer port's
                // is pumped to its end first, since what the failed run wrote counts as written (see PumpAsync).
                next = _listener.Expect(Token, expecting.Token);
                if (await PumpAsync(stream, next).ConfigureAwait(false))
                    return;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            // Disposed.
        }
        catch (Exception e)
        {
            _log.Error(e, "The bridge of port {Port} of runnable {Runnable} failed", Port, Runnable);
        }
        finally
        {
            GiveUpPlace();
            await StopExpectingAsync(expecting, next).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The port takes no more runs: a connection still expected is refused from now on (a node's connector then
    /// reports it), and one that arrived but will not be served is closed (its node sees the stream end).
    /// </summary>
    private static async Task StopExpectingAsync(CancellationTokenSource expecting, Task<Stream>? next)
    {
        await expecting.CancelAsync().ConfigureAwait(false);
        if (next is { IsCompletedSuccessfully: true })
            await next.Result.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// How long a previous run's writer stream may stay silent (its pump waiting on the stream, not on ring space) once
    /// the next run has connected, before it is cut: the node sends all a run wrote, and its end, before it reports the
    /// run's exit, so such a stream is silent only when its node or the network is gone.
    /// </summary>
    internal static readonly TimeSpan PreviousRunSilence = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Pumps one run's stream until it ends, the next run connects (a reader port) or the endpoint is disposed; true
    /// when the port is done. A writer port's stream goes on to its end when the next run connects: the items a failed
    /// run wrote reach the ring before the restarted run's (as a process child's are in the ring already), unless the
    /// stream stays silent for <see cref="PreviousRunSilence"/>.
    /// </summary>
    private async Task<bool> PumpAsync(Stream stream, Task<Stream> next)
    {
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(_cancel.Token);
        BridgeEnd? end = null;
        await using (stream.ConfigureAwait(false))
        {
            Task<BridgeEnd> pump;
            StreamActivity? activity = null; // a writer port's: whether its stream is still heard (EndsWhileHeardAsync)
            if (IsWriter)
            {
                activity = new StreamActivity();
                pump = StreamToRing.PumpAsync(stream, _writer ??= _ring.OpenWriter(), connection.Token, activity);
            }
            else
            {
                _reader ??= _ring.OpenReader(_readerSlot);
                if (_reader.HasAcquired)
                    _reader.Release(); // the item a lost stream was sending: lost with it, as what the node had not read yet
                pump = RingToStream.PumpAsync(_reader, stream, connection.Token);
            }

            if (await Task.WhenAny(pump, next).ConfigureAwait(false) != pump && !(activity is not null && await EndsWhileHeardAsync(pump, activity).ConfigureAwait(false)))
                await connection.CancelAsync().ConfigureAwait(false);
            try
            {
                end = await pump.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!_cancel.IsCancellationRequested)
            {
                _log.Debug("Port {Port} of runnable {Runnable}: a new run connected, the previous run's stream is cut", Port, Runnable);
                return false;
            }
        }

        switch (end)
        {
            case BridgeEnd.Completed when IsWriter:
                _writer!.ReleaseWriter();
                _writer = null;
                return true;
            case BridgeEnd.CompletedWithError { Error: RemoteBufferException { RemoteType: var type } } when IsWriter && type == typeof(PeerProcessDiedException).FullName:
                // The child on the node died while writing: like a lost stream, the run's end decides (a restart goes on from here).
                return NoMoreRuns(next);
            case BridgeEnd.CompletedWithError completed when IsWriter:
                _writer!.TryComplete(completed.Error);
                _writer = null;
                return true;
            case BridgeEnd.Completed or BridgeEnd.CompletedWithError when !IsWriter:
                // Everything went to this run, the end marker too; should the run fail before reading it all, its
                // restart connects again and gets the ring's end at once (what the failed run held is lost).
                return NoMoreRuns(next);
            case BridgeEnd.Completed or BridgeEnd.CompletedWithError or BridgeEnd.ReaderGone:
                return true;
            case BridgeEnd.StreamLost lost:
                _log.Debug("The bridge of port {Port} of runnable {Runnable} was lost ({Reason}); waiting for its next run", Port, Runnable, lost.Error.Message);
                return NoMoreRuns(next);
            default:
                return true;
        }
    }

    /// <summary>
    /// After a run's stream ended without ending the port: true when the runnable has ended for good and no later run
    /// has connected (one that has, possibly while the previous stream was drained, is served first).
    /// </summary>
    private bool NoMoreRuns(Task<Stream> next) => _closing.Task.IsCompleted && !next.IsCompleted;

    /// <summary>True when <paramref name="pump"/> ends before its stream has been silent for <see cref="PreviousRunSilence"/>.</summary>
    private async Task<bool> EndsWhileHeardAsync(Task<BridgeEnd> pump, StreamActivity activity)
    {
        if (await activity.EndsWhileHeardAsync(pump, PreviousRunSilence, _cancel.Token).ConfigureAwait(false))
            return true;
        if (!_cancel.IsCancellationRequested) // when disposed, the pump is being cancelled anyway: nothing to say
        {
            _log.Warning("Port {Port} of runnable {Runnable}: the previous run's stream was silent for {Silence} after the next run connected; cut (what it had not sent is lost)",
                Port, Runnable, activity.WaitingFor);
        }
        return false;
    }

    /// <summary>Releases a writer reference still held and closes the reader slot: nothing will use them any more.</summary>
    private void GiveUpPlace()
    {
        if (_cancel.IsCancellationRequested)
            return; // disposed with the runtime: the rings go with it
        _writer?.ReleaseWriter();
        _reader?.Dispose();
    }

    /// <summary>Stops serving; the ring's ends go with the ring (the runtime disposes it).</summary>
    public async ValueTask DisposeAsync()
    {
        await _cancel.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Ending anyway.
        }

        _cancel.Dispose();
    }
}
