using System.Diagnostics;
using Puma.Buffers.SharedMemory;

namespace Puma.Buffers.Peer;

/// <summary>
/// Rough cross-process checks (not a benchmark suite): throughput of fixed-size messages (the
/// writer copies each message in from an array, a child process copies it out to an array), and
/// a ping-pong round trip over two rings.
/// </summary>
public static class Bench
{
    /// <summary>bench &lt;bytes&gt; [seconds]</summary>
    public static int Run(string[] args)
    {
        var size = int.Parse(args[1]);
        var seconds = args.Length > 2 ? double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 2;
        var capacity = Math.Max(1 << 22, 8L * (size + 16));
        capacity = 1L << (int)Math.Ceiling(Math.Log2(capacity));
        using var ring = SharedMemoryRing.Create(new SharedMemoryRingOptions { CapacityBytes = capacity });
        using var child = StartChild("bench-read", ring.Name);
        using var writer = ring.OpenWriter();
        var source = new byte[size];
        Random.Shared.NextBytes(source);
        var stopwatch = Stopwatch.StartNew();
        long count = 0;
        var limit = (long)(seconds * Stopwatch.Frequency);
        while (stopwatch.ElapsedTicks < limit)
        {
            for (var i = 0; i < 256; i++)
            {
                var span = writer.Claim(size);
                source.CopyTo(span);
                writer.Commit();
            }
            count += 256;
        }
        writer.ReleaseWriter();
        if (!child.WaitForExit(30_000)) child.Kill();
        var elapsed = stopwatch.Elapsed.TotalSeconds;
        Console.WriteLine($"size={size} B capacity={capacity} B messages={count} seconds={elapsed:F2} rate={count / elapsed / 1e6:F2} M msg/s throughput={count * (double)size / elapsed / 1e9:F2} GB/s; {child.StandardOutput.ReadToEnd().Trim()}");
        return 0;
    }

    /// <summary>bench-read &lt;ring&gt;: copies every message out, until completion.</summary>
    public static int Read(string[] args)
    {
        using var ring = SharedMemoryRing.Attach(args[1]);
        using var reader = ring.OpenReader();
        var destination = new byte[ring.MaxMessageBytes];
        long count = 0, bytes = 0;
        while (reader.WaitToRead())
        {
            while (reader.TryAcquire(out var message))
            {
                message.CopyTo(destination);
                bytes += message.Length;
                count++;
                reader.Release();
            }
        }
        Console.WriteLine($"reader copied {count} messages, {bytes} bytes");
        return 0;
    }

    /// <summary>pingpong [rounds]: round trips of an 8-byte message through a child that echoes it.</summary>
    public static int PingPong(string[] args)
    {
        var rounds = args.Length > 1 ? int.Parse(args[1]) : 200_000;
        using var ping = SharedMemoryRing.Create(new SharedMemoryRingOptions { CapacityBytes = 4096 });
        using var pong = SharedMemoryRing.Create(new SharedMemoryRingOptions { CapacityBytes = 4096 });
        using var child = StartChild("pingpong-echo", ping.Name, pong.Name);
        using var writer = ping.OpenWriter();
        using var reader = pong.OpenReader();
        var samples = new long[rounds];
        for (var i = 0; i < rounds; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var span = writer.Claim(8);
            BitConverter.TryWriteBytes(span, (long)i);
            writer.Commit();
            while (!reader.TryAcquire(out _)) reader.WaitToRead();
            reader.Release();
            samples[i] = Stopwatch.GetTimestamp() - start;
        }
        writer.ReleaseWriter();
        child.WaitForExit(10_000);
        Array.Sort(samples);
        double Micro(long ticks) => ticks * 1e6 / Stopwatch.Frequency;
        Console.WriteLine($"pingpong rounds={rounds} p50={Micro(samples[rounds / 2]):F2} µs p90={Micro(samples[rounds * 9 / 10]):F2} µs p99={Micro(samples[rounds * 99 / 100]):F2} µs");
        return 0;
    }

    /// <summary>pingpong-echo &lt;ping&gt; &lt;pong&gt;: echoes every message until completion.</summary>
    public static int Echo(string[] args)
    {
        using var ping = SharedMemoryRing.Attach(args[1]);
        using var pong = SharedMemoryRing.Attach(args[2]);
        using var reader = ping.OpenReader();
        using var writer = pong.OpenWriter();
        while (reader.WaitToRead())
        {
            while (reader.TryAcquire(out var message))
            {
                var span = writer.Claim(message.Length);
                message.CopyTo(span);
                reader.Release();
                writer.Commit();
            }
        }
        writer.ReleaseWriter();
        return 0;
    }

    /// <summary>bench-typed [seconds]: long items through the channel ends (TryWrite / TryRead), reader in a child process.</summary>
    public static int Typed(string[] args)
    {
        var seconds = args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2;
        using var ring = SharedMemoryRing.Create(new SharedMemoryRingOptions { CapacityBytes = 1 << 20 });
        using var child = StartChild("bench-typed-read", ring.Name);
        using var writer = ring.CreateWriter<long>();
        var stopwatch = Stopwatch.StartNew();
        long count = 0;
        var limit = (long)(seconds * Stopwatch.Frequency);
        while (stopwatch.ElapsedTicks < limit)
        {
            for (var i = 0; i < 256; i++)
            {
                if (!writer.TryWrite(count)) writer.WriteAsync(count).AsTask().Wait();
                count++;
            }
        }
        writer.ReleaseWriter();
        if (!child.WaitForExit(30_000)) child.Kill();
        var elapsed = stopwatch.Elapsed.TotalSeconds;
        Console.WriteLine($"typed long items={count} seconds={elapsed:F2} rate={count / elapsed / 1e6:F2} M items/s; {child.StandardOutput.ReadToEnd().Trim()}");
        return 0;
    }

    /// <summary>bench-typed-read &lt;ring&gt;: reads long items with ReadAllAsync-style loops and checks their order.</summary>
    public static int TypedRead(string[] args)
    {
        using var ring = SharedMemoryRing.Attach(args[1]);
        using var reader = ring.CreateReader<long>();
        long expected = 0;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (reader.TryRead(out var item))
            {
                if (item != expected) throw new InvalidDataException($"item {item} where {expected} was expected");
                expected++;
            }
        }
        Console.WriteLine($"reader got {expected} items in order");
        return 0;
    }

    /// <summary>idle [seconds]: CPU used by this process while one sync and one async reader wait on an idle ring.</summary>
    public static int Idle(string[] args)
    {
        var seconds = args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3;
        using var ring = SharedMemoryRing.Create(new SharedMemoryRingOptions { CapacityBytes = 4096, Mode = Puma.Buffers.BufferMode.Broadcast, Readers = 2 });
        using var writer = ring.OpenWriter();
        var syncReader = ring.OpenReader(0);
        var asyncReader = ring.CreateReader<int>(1);
        var syncWait = Task.Factory.StartNew(() => syncReader.WaitToRead(), TaskCreationOptions.LongRunning);
        var asyncWait = asyncReader.WaitToReadAsync().AsTask();
        Thread.Sleep(200);
        using var self = Process.GetCurrentProcess();
        var before = self.TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        Thread.Sleep(TimeSpan.FromSeconds(seconds));
        self.Refresh();
        var used = self.TotalProcessorTime - before;
        Console.WriteLine($"idle: 2 parked readers used {used.TotalMilliseconds:F1} ms CPU in {stopwatch.Elapsed.TotalSeconds:F1} s = {100 * used.TotalSeconds / stopwatch.Elapsed.TotalSeconds:F2}% of a core");
        writer.ReleaseWriter();
        syncWait.Wait(5000);
        asyncWait.Wait(5000);
        syncReader.Dispose();
        asyncReader.Dispose();
        return 0;
    }

    private static Process StartChild(string command, params string[] rings)
    {
        var info = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(typeof(Bench).Assembly.Location);
        info.ArgumentList.Add(command);
        foreach (var ring in rings) info.ArgumentList.Add(ring);
        return Process.Start(info)!;
    }
}
