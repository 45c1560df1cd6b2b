using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Puma.Bench.Harness;

namespace Puma.Bench.Pipeline;

/// <summary>
/// One stage of the pipes baseline, in a child process:
/// <c>child pipeline-stage ROLE IN OUT GO COUNT PAYLOAD_BYTES</c> (ROLE producer, processor or
/// consumer; IN / OUT / GO are FIFO paths, "-" when unused). Records are fixed-size: sequence
/// number, produce stamp, then the payload; the small case's records are 16 bytes. Streams are
/// buffered in 64 KiB for small records. Each stage prints a "ready" report once its FIFOs are
/// open; the producer then waits for one byte on GO; the consumer prints a "done" report with its
/// <see cref="PipelineTotals"/> (as JSON in the message) at end of stream.
/// </summary>
internal static class PipeStage
{
    private const int StreamBuffer = 64 * 1024;

    /// <summary>Runs the stage; returns the exit code.</summary>
    public static int Run(ReadOnlySpan<string> args)
    {
        if (args.Length != 6)
        {
            Console.Error.WriteLine("usage: child pipeline-stage ROLE IN OUT GO COUNT PAYLOAD_BYTES");
            return 64;
        }
        try
        {
            var role = args[0];
            var count = long.Parse(args[4], CultureInfo.InvariantCulture);
            var payload = int.Parse(args[5], CultureInfo.InvariantCulture);
            var record = 16 + payload;
            var buffer = payload == 0 ? StreamBuffer : 0;
            switch (role)
            {
                case "producer": Produce(Open(args[2], FileAccess.Write, buffer), args[3], count, record); break;
                case "processor": Forward(Open(args[1], FileAccess.Read, buffer), Open(args[2], FileAccess.Write, buffer), record); break;
                case "consumer": Consume(Open(args[1], FileAccess.Read, buffer), record, payload); break;
                default: throw new ArgumentException($"unknown role {role}");
            }
            return 0;
        }
        catch (Exception e)
        {
            new ChildReport { Type = "error", Message = $"{e.GetType().Name}: {e.Message}" }.Send();
            return 2;
        }
    }

    private static Stream Open(string path, FileAccess access, int buffer)
    {
        Stream s = new FileStream(path, FileMode.Open, access, FileShare.ReadWrite, bufferSize: 0);
        return buffer > 0 ? new BufferedStream(s, buffer) : s;
    }

    private static void Ready() => new ChildReport { Type = "round" }.Send();

    private static void Produce(Stream output, string goPath, long count, int record)
    {
        var message = new byte[record];
        Random.Shared.NextBytes(message);
        Ready();
        using (var go = new FileStream(goPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0))
            go.ReadByte();
        for (long seq = 0; seq < count; seq++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(message, seq);
            BinaryPrimitives.WriteInt64LittleEndian(message.AsSpan(8), Stopwatch.GetTimestamp());
            output.Write(message);
        }
        output.Dispose();
    }

    private static void Forward(Stream input, Stream output, int record)
    {
        var message = new byte[record];
        Ready();
        while (input.ReadAtLeast(message, record, throwOnEndOfStream: false) == record)
            output.Write(message);
        output.Dispose();
        input.Dispose();
    }

    private static void Consume(Stream input, int record, int payload)
    {
        var message = new byte[record];
        var tally = new PipelineTally();
        Ready();
        while (input.ReadAtLeast(message, record, throwOnEndOfStream: false) == record)
            tally.Add(BinaryPrimitives.ReadInt64LittleEndian(message), BinaryPrimitives.ReadInt64LittleEndian(message.AsSpan(8)), payload == 0 ? 16 : payload);
        input.Dispose();
        new ChildReport { Type = "done", Message = JsonSerializer.Serialize(tally.ToTotals()) }.Send();
    }
}
