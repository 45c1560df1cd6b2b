using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NetMQ;
using NetMQ.Sockets;
using Puma.Bench.Harness;
using Puma.Bench.Transports.NetMq;

namespace Puma.Bench.Pipeline;

/// <summary>
/// One stage of the NetMQ pipeline, in a child process:
/// <c>child netmq-stage ROLE IN OUT GO BYE COUNT PAYLOAD_BYTES</c> (ROLE producer, processor or
/// consumer; IN / OUT are ZeroMQ endpoints, GO and BYE FIFO paths, "-" when unused). The producer
/// binds a PUSH on OUT, the processor connects a PULL to IN and binds a PUSH on OUT, the consumer
/// connects a PULL to IN. Each record is one frame, laid out as in <see cref="PipeStage"/>
/// (sequence number, produce stamp, payload; 16 bytes in the small case); an empty frame ends the
/// stream. Before its "ready" report the producer sends a 1-byte priming frame that the processor
/// forwards and the consumer waits for, so that "every stage ready" means every connection is up
/// (a ZeroMQ connect completes in the background). The producer then waits for one byte on GO;
/// the consumer prints a "done" report with its <see cref="PipelineTotals"/> at the end frame.
/// A sender (producer, processor) keeps its socket open after its end frame until BYE reaches end
/// of file (the parent opens and closes it once the consumer is done): ZeroMQ queues frames and
/// sends them in the background, and closing a socket (even with a linger period and a blocking
/// <see cref="NetMQConfig.Cleanup(bool)"/>) was seen to drop the last queued frames. Like the
/// transports' children, a stage exits when its stdin (the parent's lifeline) reaches end of file
/// or when it outlives the parent's patience.
/// </summary>
internal static class NetMqStage
{
    /// <summary>The child-mode name of a stage (<c>child netmq-stage ...</c>).</summary>
    public const string ChildName = "netmq-stage";

    /// <summary>The reconnect interval of connecting sockets (ZeroMQ's default is 100 ms) so that a connect made before the peer bound retries soon.</summary>
    private static readonly TimeSpan ReconnectInterval = TimeSpan.FromMilliseconds(10);

    private const int PrimeFrame = 1;

    /// <summary>The high-water mark (frames) of every queue for records of <paramref name="record"/> bytes: about 16 MiB, 8 to 10,000 frames.</summary>
    public static int HighWatermark(int record) => (int)Math.Clamp((16L << 20) / record, 8, 10_000);

    /// <summary>Runs the stage; returns the exit code.</summary>
    public static int Run(ReadOnlySpan<string> args)
    {
        if (args.Length != 7)
        {
            Console.Error.WriteLine($"usage: child {ChildName} ROLE IN OUT GO BYE COUNT PAYLOAD_BYTES");
            return 64;
        }
        // ZeroMQ has no end of stream: without the parent (stdin at end of file) a stage would wait forever.
        ChildGuard.Start((NetMqPipeline.Patience + TimeSpan.FromSeconds(10)).TotalSeconds);
        try
        {
            var role = args[0];
            var count = long.Parse(args[5], CultureInfo.InvariantCulture);
            var payload = int.Parse(args[6], CultureInfo.InvariantCulture);
            var record = 16 + payload;
            using var lease = NetMqLibrary.Acquire();
            switch (role)
            {
                case "producer": Produce(args[2], args[3], args[4], count, record); break;
                case "processor": Forward(args[1], args[2], args[4], record); break;
                case "consumer": Consume(args[1], record, payload); break;
                default: throw new ArgumentException($"unknown role '{role}' (known: producer, processor, consumer)");
            }
            return 0;
        }
        catch (Exception e)
        {
            new ChildReport { Type = "error", Message = $"{e.GetType().Name}: {e.Message}" }.Send();
            return 2;
        }
    }

    private static void Ready() => new ChildReport { Type = "round" }.Send();

    private static PushSocket Sender(string bindTo, int record)
    {
        var socket = new PushSocket();
        socket.Options.SendHighWatermark = HighWatermark(record);
        socket.Bind(bindTo);
        return socket;
    }

    private static PullSocket Receiver(string connectTo, int record)
    {
        var socket = new PullSocket();
        socket.Options.ReceiveHighWatermark = HighWatermark(record);
        socket.Options.ReconnectInterval = ReconnectInterval;
        socket.Connect(connectTo);
        return socket;
    }

    /// <summary>Blocks until the parent opened and closed the FIFO at <paramref name="path"/> (the consumer has everything).</summary>
    private static void AwaitBye(string path)
    {
        using var bye = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        while (bye.ReadByte() >= 0) { }
    }

    private static void Produce(string output, string goPath, string byePath, long count, int record)
    {
        var message = new byte[record];
        Random.Shared.NextBytes(message);
        using var socket = Sender(output, record);
        socket.SendFrame(new byte[PrimeFrame]);
        Ready();
        using (var go = new FileStream(goPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0))
            go.ReadByte();
        var msg = new Msg();
        for (long seq = 0; seq < count; seq++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(message, seq);
            BinaryPrimitives.WriteInt64LittleEndian(message.AsSpan(8), Stopwatch.GetTimestamp());
            msg.InitPool(record);
            message.CopyTo(msg.Slice());
            socket.Send(ref msg, more: false); // takes the buffer
        }
        socket.SendFrameEmpty();
        AwaitBye(byePath);
    }

    private static void Forward(string input, string output, string byePath, int record)
    {
        using var from = Receiver(input, record);
        using var to = Sender(output, record);
        Ready();
        var msg = new Msg();
        msg.InitEmpty();
        while (true)
        {
            from.Receive(ref msg);
            var end = msg.Size == 0;
            if (!end && msg.Size != record && msg.Size != PrimeFrame)
                throw new InvalidDataException($"frame of {msg.Size} bytes, expected {record}");
            to.Send(ref msg, more: false); // the frame moves on as is, no copy
            msg.InitEmpty();
            if (end) break;
        }
        AwaitBye(byePath);
    }

    private static void Consume(string input, int record, int payload)
    {
        using var from = Receiver(input, record);
        var msg = new Msg();
        msg.InitEmpty();
        from.Receive(ref msg);
        if (msg.Size != PrimeFrame) throw new InvalidDataException($"expected the {PrimeFrame}-byte priming frame, got {msg.Size} bytes");
        Ready();
        var tally = new PipelineTally();
        while (true)
        {
            from.Receive(ref msg);
            if (msg.Size == 0) break;
            if (msg.Size != record) throw new InvalidDataException($"frame of {msg.Size} bytes, expected {record}");
            ReadOnlySpan<byte> bytes = msg.Slice();
            tally.Add(BinaryPrimitives.ReadInt64LittleEndian(bytes), BinaryPrimitives.ReadInt64LittleEndian(bytes[8..]), payload == 0 ? 16 : payload);
        }
        msg.Close();
        new ChildReport { Type = "done", Message = JsonSerializer.Serialize(tally.ToTotals()) }.Send();
    }
}
