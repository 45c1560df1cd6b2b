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

    /// <summary>The runnable ended for good: no run will connect again (the runtime closes its reader slot in the ring).</summary>
    public void Close() => _cancel.Cancel();

    private async Task ServeAsync()
    {
        await Task.Yield();
        while (!_cancel.IsCancellationRequested)
        {
            Stream stream;
            try
            {
                stream = await _listener.Expect(Token, _cancel.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }

            BridgeEnd end;
            await using (stream.ConfigureAwait(false))
            {
                end = IsWriter
                    ? await StreamToRing.PumpAsync(stream, _writer ??= _ring.OpenWriter(), _cancel.Token).ConfigureAwait(false)
                    : await RingToStream.PumpAsync(_reader ??= _ring.OpenReader(_readerSlot), stream, _cancel.Token).ConfigureAwait(false);
            }

            switch (end)
            {
                case BridgeEnd.Completed when IsWriter:
                    _writer!.ReleaseWriter();
                    return;
                case BridgeEnd.CompletedWithError { Error: RemoteBufferException { RemoteType: var type } } when IsWriter && type == typeof(PeerProcessDiedException).FullName:
                    // The child on the node died while writing: like a lost stream, the run's end decides (a restart goes on from here).
                    break;
                case BridgeEnd.CompletedWithError completed when IsWriter:
                    _writer!.TryComplete(completed.Error);
                    return;
                case BridgeEnd.Completed or BridgeEnd.CompletedWithError or BridgeEnd.ReaderGone:
                    return;
                case BridgeEnd.StreamLost lost:
                    _log.Debug("The bridge of port {Port} of runnable {Runnable} was lost ({Reason}); waiting for its next run", Port, Runnable, lost.Error.Message);
                    break;
            }
        }
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
