namespace Puma.Bench.Events;

/// <summary>The bench's side of the pipe baseline: a byte written to the ping FIFO, a byte read from the pong FIFO.</summary>
internal sealed class PipePinger : IPinger
{
    private readonly FileStream _ping;
    private readonly FileStream _pong;
    private readonly byte[] _one = new byte[1];

    /// <summary>Opens the FIFOs (blocks until the ponger opens its ends).</summary>
    public PipePinger(string pingPath, string pongPath)
    {
        _ping = new FileStream(pingPath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        _pong = new FileStream(pongPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
    }

    public void Round()
    {
        _ping.Write(_one);
        if (_pong.Read(_one) != 1) throw new EndOfStreamException("the pipe ponger closed its end");
    }

    /// <summary>Closes the ping FIFO first: the ponger reads end of file and ends.</summary>
    public void Dispose()
    {
        _ping.Dispose();
        _pong.Dispose();
    }
}
