using System.Diagnostics;
using Puma.Buffers.SharedMemory;

namespace Puma.Buffers.Peer;

/// <summary>
/// Rough cross-process throughput check: this process creates a ring and writes fixed-size
/// messages for a while; a child process (this program, "bench-read") reads them.
/// Also a ping-pong round trip over two rings.
/// </summary>
public static class Bench
{
    public static int Run(string[] args)
    {
        int size = int.Parse(args[1]);
        double seconds = args.Length > 2 ? double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 2;
        long capacity = Math.Max(1 << 22, 4L * (size + 16));
        using var ring = SharedMemoryRing.Create(new SharedMemoryRingOptions { CapacityBytes = capacity });
        using var child = StartChild("bench-read", ring.Name);
        using var writer = ring.OpenWriter();
        var stopwatch = Stopwatch.StartNew();
        long count = 0;
        long limit = (long)(seconds * Stopwatch.Frequency);
        while (stopwatch.ElapsedTicks < limit)
        {
            for (int i = 0; i < 1024; i++)
            {
                Span<byte> span = writer.Claim(size);
                span[0] = 1;
                writer.Commit();
            }
            count += 1024;
        }
        writer.ReleaseWriter();
        if (!child.WaitForExit(30_000)) child.Kill();
        double elapsed = stopwatch.Elapsed.TotalSeconds;
        Console.WriteLine($"size={size} B messages={count} seconds={elapsed:F2} rate={count / elapsed / 1e6:F2} M msg/s throughput={count * (double)size / elapsed / 1e9:F2} GB/s reader: {child.StandardOutput.ReadToEnd().Trim()}");
        return 0;
    }

    public static int Read(string[] args)
    {
        using var ring = SharedMemoryRing.Attach(args[1]);
        using var reader = ring.OpenReader();
        long count = 0, bytes = 0;
        while (reader.WaitToRead())
        {
            while (reader.TryAcquire(out ReadOnlySpan<byte> message))
            {
                bytes += message.Length;
                count++;
                reader.Release();
            }
        }
        Console.WriteLine($"read {count} messages {bytes} bytes");
        return 0;
    }

    private static Process StartChild(string command, string ring)
    {
        var info = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(typeof(Bench).Assembly.Location);
        info.ArgumentList.Add(command);
        info.ArgumentList.Add(ring);
        return Process.Start(info)!;
    }
}
