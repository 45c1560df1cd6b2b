using NetMQ;
using NetMQ.Sockets;

namespace Puma.Bench.Transports.NetMq;

/// <summary>
/// NetMQ 4 (the pure C# ZeroMQ) PUSH/PULL, one socket pair per direction: the parent binds a PUSH
/// towards the child and a PULL from it, the child connects to both and sends an empty hello frame,
/// which the parent's <see cref="IPendingLink.Accept"/> waits for. Each message is one frame
/// (<see cref="NetMqMessageWriter"/>, <see cref="NetMqMessageReader"/>); high-water marks bound
/// each queue to about 64 MiB (at most 10,000 frames), buffers come from NetMQ's default
/// buffer pool (<see cref="NetMqLibrary"/>).
/// <c>netmq-tcp</c> binds <c>tcp://127.0.0.1:*</c> (ports chosen by the system). <c>netmq-ipc</c>
/// binds <c>ipc://</c> names under the temp directory; NetMQ implements ipc:// as TCP on the
/// loopback interface at port 10000 + MurmurHash(name) % 55536 (no Unix socket, no file is created),
/// so a name whose port is taken is replaced by a fresh one. Broadcast is not native: the suite
/// runs one PUSH/PULL link per child (as for pipes and sockets); see bench/README.md for why not PUB/SUB.
/// </summary>
internal sealed class NetMqTransport(bool ipc) : ITransport
{
    private const int BindAttempts = 8;

    /// <inheritdoc/>
    public string Name => ipc ? "netmq-ipc" : "netmq-tcp";

    /// <summary>The high-water mark (frames) of every queue for <paramref name="messageSize"/>: about 64 MiB, 16 to 10,000 frames.</summary>
    public static int HighWatermark(int messageSize) => (int)Math.Clamp((64L << 20) / messageSize, 16, 10_000);

    /// <inheritdoc/>
    public IPendingLink Listen(int messageSize)
    {
        var lease = NetMqLibrary.Acquire();
        var toChild = new PushSocket();
        var fromChild = new PullSocket();
        try
        {
            toChild.Options.SendHighWatermark = HighWatermark(messageSize);
            fromChild.Options.ReceiveHighWatermark = HighWatermark(messageSize);
            var argument = $"{Bind(toChild)},{Bind(fromChild)}";
            return new NetMqPendingLink(toChild, fromChild, lease, argument, messageSize);
        }
        catch
        {
            toChild.Dispose();
            fromChild.Dispose();
            lease.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public TransportLink Connect(string argument, int messageSize)
    {
        var endpoints = argument.Split(',');
        if (endpoints.Length != 2) throw new ArgumentException($"netmq argument '{argument}' is not 'to-child,from-child'");
        var lease = NetMqLibrary.Acquire();
        var input = new PullSocket();
        var output = new PushSocket();
        try
        {
            input.Options.ReceiveHighWatermark = HighWatermark(messageSize);
            output.Options.SendHighWatermark = HighWatermark(messageSize);
            input.Connect(endpoints[0]);
            output.Connect(endpoints[1]);
            output.SendFrameEmpty(); // hello: the parent's Accept waits for it
        }
        catch
        {
            input.Dispose();
            output.Dispose();
            lease.Dispose();
            throw;
        }
        // The parent's death ends the child through its stdin lifeline, so the child waits without a token.
        return new TransportLink(new NetMqMessageWriter(output, messageSize, CancellationToken.None), new NetMqMessageReader(input, messageSize, CancellationToken.None), lease);
    }

    /// <summary>Binds <paramref name="socket"/> to a fresh endpoint; returns the endpoint the child connects to.</summary>
    private string Bind(NetMQSocket socket)
    {
        if (!ipc)
        {
            var port = socket.BindRandomPort("tcp://127.0.0.1");
            return $"tcp://127.0.0.1:{port}";
        }
        for (var attempt = 1; ; attempt++)
        {
            var endpoint = "ipc://" + Path.Combine(Path.GetTempPath(), "puma-bench-netmq-" + Guid.NewGuid().ToString("N")[..16]);
            try
            {
                socket.Bind(endpoint);
                return endpoint;
            }
            catch (AddressAlreadyInUseException) when (attempt < BindAttempts)
            {
                // NetMQ's ipc:// is a loopback TCP port derived from the name: another name, another port.
            }
        }
    }
}
