using System.Diagnostics;
using Puma.Buffers.Peer;
using Puma.Buffers.SharedMemory;

// A second process for the shared-memory ring tests: attaches to a ring by name and plays one side.
// Exit codes: 0 done, 2 data check failed, 3 unexpected exception, 64 bad usage.
try
{
    return args.Length == 0 ? Usage() : args[0] switch
    {
        "write" => Write(args),
        "read" => Read(args),
        "typed-write" => TypedWrite(args),
        "hold-reader" => HoldReader(args),
        "hold-writer" => HoldWriter(args),
        "hold-claim" => HoldClaim(args),
        "create" => CreateAndHold(args),
        "resize" => Resize(args),
        "bench" => Bench.Run(args),
        "bench-read" => Bench.Read(args),
        "pingpong" => Bench.PingPong(args),
        "pingpong-echo" => Bench.Echo(args),
        "idle" => Bench.Idle(args),
        "bench-typed" => Bench.Typed(args),
        "bench-typed-read" => Bench.TypedRead(args),
        _ => Usage(),
    };
}
catch (InvalidDataException error)
{
    Console.Error.WriteLine("DATA: " + error.Message);
    return 2;
}
catch (Exception error)
{
    Console.Error.WriteLine(error);
    return 3;
}

static int Usage()
{
    Console.Error.WriteLine("usage: write <ring> <count> <seed> <writerId> <maxSize> | read <ring> <slot> <outFile> | typed-write <ring> <count> <release|error> | hold-reader <ring> <slot> | hold-writer <ring> <count> | create <capacity> <count> | resize <path> | bench <bytes> [seconds] | pingpong [rounds] | idle [seconds] | bench-typed [seconds]");
    return 64;
}

// Raw writer: <count> checksummed messages of random sizes, then releases its writer reference.
static int Write(string[] args)
{
    using var ring = SharedMemoryRing.Attach(args[1]);
    int count = int.Parse(args[2]), seed = int.Parse(args[3]), writerId = int.Parse(args[4]), maxSize = int.Parse(args[5]);
    var random = new Random(seed);
    using var writer = ring.OpenWriter();
    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
    for (var i = 0; i < count; i++)
    {
        var size = TestMessages.SizeFor(random, maxSize);
        var span = writer.Claim(size, timeout.Token);
        TestMessages.Fill(span, writerId, i, random);
        writer.Commit();
    }
    writer.ReleaseWriter();
    return 0;
}

// Raw reader of one slot until completion: checks checksums and per-writer order (consecutive
// unless competing), writes (writerId, sequence) pairs to <outFile>, prints "count=N".
static int Read(string[] args)
{
    using var ring = SharedMemoryRing.Attach(args[1]);
    var slot = int.Parse(args[2]);
    using var reader = ring.OpenReader(slot);
    Console.Out.WriteLine("ready");
    Console.Out.Flush();
    var consecutive = ring.Mode != Puma.Buffers.BufferMode.Competing;
    var last = new Dictionary<int, int>();
    using var output = new BinaryWriter(File.Create(args[3]));
    long count = 0;
    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
    while (reader.WaitToRead(timeout.Token))
    {
        while (reader.TryAcquire(out var message))
        {
            var (writerId, sequence) = TestMessages.Check(message);
            reader.Release();
            var previous = last.TryGetValue(writerId, out var p) ? p : -1;
            if (consecutive ? sequence != previous + 1 : sequence <= previous)
                throw new InvalidDataException($"writer {writerId}: sequence {sequence} after {previous}");
            last[writerId] = sequence;
            output.Write(writerId);
            output.Write(sequence);
            count++;
        }
    }
    Console.Out.WriteLine("count=" + count);
    return 0;
}

// Typed string writer: <count> items "item-i", then releases its reference or completes with an error.
static int TypedWrite(string[] args)
{
    using var ring = SharedMemoryRing.Attach(args[1]);
    var count = int.Parse(args[2]);
    using var writer = ring.CreateWriter<string>();
    for (var i = 0; i < count; i++)
        writer.WriteAsync("item-" + i).AsTask().Wait(TimeSpan.FromSeconds(30));
    if (args[3] == "error")
    {
        try
        {
            FailOnPurpose();
        }
        catch (Exception error)
        {
            writer.TryComplete(error);
        }
    }
    else
    {
        writer.ReleaseWriter();
    }
    return 0;
}

static void FailOnPurpose() => throw new InvalidOperationException("peer failed on purpose");

// Opens a reader slot and never reads, so writers block; the test kills this process.
static int HoldReader(string[] args)
{
    using var ring = SharedMemoryRing.Attach(args[1]);
    using var reader = ring.OpenReader(int.Parse(args[2]));
    Console.Out.WriteLine("ready");
    Console.Out.Flush();
    Thread.Sleep(TimeSpan.FromSeconds(120));
    return 0;
}

// Opens a (competing) reader slot, acquires one message and never releases it; the test kills this process.
static int HoldClaim(string[] args)
{
    using var ring = SharedMemoryRing.Attach(args[1]);
    using var reader = ring.OpenReader(int.Parse(args[2]));
    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
    while (!reader.TryAcquire(out _)) reader.WaitToRead(timeout.Token);
    Console.Out.WriteLine("ready");
    Console.Out.Flush();
    Thread.Sleep(TimeSpan.FromSeconds(120));
    return 0;
}

// Writes <count> ints and then hangs without completing; the test kills this process.
static int HoldWriter(string[] args)
{
    using var ring = SharedMemoryRing.Attach(args[1]);
    using var writer = ring.CreateWriter<int>();
    var count = int.Parse(args[2]);
    for (var i = 0; i < count; i++)
        if (!writer.TryWrite(i)) throw new InvalidOperationException("ring full");
    Console.Out.WriteLine("ready");
    Console.Out.Flush();
    Thread.Sleep(TimeSpan.FromSeconds(120));
    return 0;
}

// Creates a ring, writes <count> ints through a writer it keeps, prints "name=<ring name>" and
// "ready", then hangs holding the ring; the test kills this process.
static int CreateAndHold(string[] args)
{
    using var ring = SharedMemoryRing.Create(new SharedMemoryRingOptions { CapacityBytes = long.Parse(args[1]) });
    using var writer = ring.CreateWriter<int>();
    var count = int.Parse(args[2]);
    for (var i = 0; i < count; i++)
        if (!writer.TryWrite(i)) throw new InvalidOperationException("ring full");
    Console.Out.WriteLine("name=" + ring.Name);
    Console.Out.WriteLine("ready");
    Console.Out.Flush();
    Thread.Sleep(TimeSpan.FromSeconds(120));
    return 0;
}

// Opens a ring segment by path and tries to shrink it to 0 bytes and to grow it by a page; prints
// "shrink: refused" / "shrink: done" and the same for grow (the exception on stderr).
static int Resize(string[] args)
{
    using var segment = new FileStream(args[1], FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
    var length = segment.Length;
    foreach (var (what, size) in new[] { ("shrink", 0L), ("grow", length + 4096) })
    {
        try
        {
            segment.SetLength(size);
            Console.Out.WriteLine(what + ": done");
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            Console.Out.WriteLine(what + ": refused");
            Console.Error.WriteLine(what + ": " + error.GetType().Name + ": " + error.Message);
        }
    }
    Console.Out.Flush();
    return 0;
}
