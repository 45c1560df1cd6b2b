using Puma.Buffers;
using Puma.Runnables;
using Puma.Runtime.Tests.Runnables;
using static Puma.Runtime.Tests.TestSupport;

namespace Puma.Runtime.Tests;

/// <summary>README, "Buffers", "Completion and errors" and "Transport", through the runtime.</summary>
public class PromiseTestsBuffers
{
    [Fact]
    public async Task CreateBufferIsManyToOneByDefault()
    {
        await using var runtime = NewRuntime();
        Assert.Equal(BufferMode.ManyToOne, runtime.CreateBuffer<Frame>("b", 1).Mode);
    }

    /// <summary>
    /// scaler fails on frame 10; relay, between it and the reader, has no InputCompleted handler: its
    /// input's error ends it and is passed on to its output, so the reader drains frames 0..9 (relayed)
    /// and then gets scaler's error. (Policy Continue: under StopAll the relay may be stopped before it sees
    /// the error, and a stopped runnable completes its outputs without one.)
    /// </summary>
    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task AnErrorPassesOnThroughARunnableWithoutAnInputCompletedHandler(Placement placement)
    {
        await using var runtime = NewRuntime(FailurePolicy.Continue);
        var raw = runtime.CreateBuffer<Frame>("raw", 8);
        var scaled = runtime.CreateBuffer<Frame>("scaled", 64);
        var relayed = runtime.CreateBuffer<Frame>("relayed", 64);
        runtime.Add(new Producer { Name = "producer", Output = raw.Writer, Count = 100 }, placement);
        runtime.Add(new Scale { Name = "scaler", Input = raw.Reader, Output = scaled.Writer, FailAt = 10 }, placement);
        runtime.Add(new Worker { Name = "relay", Id = 7, Input = scaled.Reader, Output = relayed.Writer }, placement);
        var results = relayed.Reader;
        await runtime.StartAsync();

        var drained = new List<Frame>();
        using var cts = new CancellationTokenSource(Patience);
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await foreach (var frame in results.ReadAllAsync(cts.Token))
                drained.Add(frame);
        });
        Assert.Equal(Enumerable.Range(0, 10).Select(i => new Frame(i, 7)), drained);
        Assert.Equal("scale failed at frame 10", error.Message);
        if (placement == Placement.Thread)
            Assert.Same(typeof(InvalidOperationException), error.GetType());
        else
            // Across processes the error arrives as the ring's copy. (Its RemoteType names the last copy's
            // type, Puma.Logging.RemoteException, not InvalidOperationException: a known loss, see the report.)
            Assert.IsType<Puma.Buffers.SharedMemory.RemoteBufferException>(error);

        var failure = await Assert.ThrowsAsync<RunnableFailedException>(() => runtime.WaitAsync().WaitAsync(Patience));
        Assert.Equal("scaler", failure.RunnableName);
    }

    /// <summary>
    /// An item type with [BufferCodec] crosses processes through its codec on both sides (the parent's
    /// decoder checks the child's encoding and marks what it decoded); in one process items are passed
    /// as they are, nothing is encoded.
    /// </summary>
    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task AnItemTypesBufferCodecIsPickedUp(Placement placement)
    {
        await using var runtime = NewRuntime();
        var items = runtime.CreateBuffer<CodecItem>("items", 4);
        runtime.Add(new CodecSource { Name = "source", Output = items.Writer, Count = 20 }, placement);
        var reader = items.Reader;
        await runtime.StartAsync();

        var received = await ReadAllAsync(reader);
        await runtime.WaitAsync().WaitAsync(Patience);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), received.Select(i => i.Seq));
        var expected = placement == Placement.Process ? nameof(CodecItemCodec) : null;
        Assert.All(received, i => Assert.Equal(expected, i.DecodedBy));
    }

    /// <summary>
    /// A ring is sized by capacityBytes, by default capacity x 16 KiB clamped to 4..256 MiB: 300 items give
    /// 4,915,200 bytes, 4 items the 4 MiB floor, and an explicit size is taken as it is. Read by the child.
    /// </summary>
    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task ARingIsSizedByCapacityBytesWhoseDefaultIs16KiBPerItem(Placement producers)
    {
        await using var runtime = NewRuntime();
        (string Name, int Capacity, long? Bytes, long Expected)[] cases =
        [
            ("three-hundred", 300, null, 300 * 16 * 1024),
            ("four", 4, null, 4 << 20),
            ("explicit", 4, 64 * 1024, 64 * 1024),
        ];
        foreach (var (name, capacity, bytes, _) in cases)
        {
            var buffer = runtime.CreateBuffer<Frame>(name, capacity, capacityBytes: bytes);
            runtime.Add(new Producer { Name = "to-" + name, Output = buffer.Writer, Endless = true }, producers);
            runtime.Add(new SegmentProbe { Name = "probe-" + name, Input = buffer.Reader }, Placement.Process);
        }
        await runtime.StartAsync();

        foreach (var (name, _, _, expected) in cases)
        {
            var reply = await runtime.AskAsync<string>("probe-" + name, new GetState(""));
            Assert.Equal(expected.ToString(), reply.Split('|')[1]);
        }
        Assert.True((await runtime.StopAsync()).AllStopped);
    }

    /// <summary>
    /// The segment of a buffer that crosses processes exists while the runtime runs and is gone once it is
    /// disposed. On Linux it is a sealed memfd held by the supervisor (this test process) and its children:
    /// gone means no process holds it and no name opens it; elsewhere it is a file, unlinked on dispose.
    /// </summary>
    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task SegmentsAreGoneWhenTheRuntimeIsDisposed(Placement producer)
    {
        var runtime = NewRuntime();
        var feed = runtime.CreateBuffer<Frame>("feed", 4, capacityBytes: 64 * 1024);
        runtime.Add(new Producer { Name = "producer", Output = feed.Writer, Endless = true }, producer);
        runtime.Add(new SegmentProbe { Name = "probe", Input = feed.Reader }, Placement.Process);
        string path, name;
        bool sealedSegment;
        try
        {
            await runtime.StartAsync();
            var probe = (await runtime.AskAsync<string>("probe", new GetState(""))).Split('|');
            (path, name, sealedSegment) = (probe[0], probe[2], bool.Parse(probe[3]));
            Assert.StartsWith("puma-", name);
            Assert.Equal(OperatingSystem.IsLinux(), sealedSegment);
            if (sealedSegment)
                Assert.StartsWith($"/proc/{Environment.ProcessId}/fd/", path); // the supervisor holds it
            using (Puma.Buffers.SharedMemory.SharedMemoryRing.Attach(name))
            {
            }
        }
        finally
        {
            await runtime.DisposeAsync();
        }
        if (sealedSegment)
        {
            var hex = name[..name.IndexOf('@')];
            Assert.DoesNotContain(Directory.EnumerateFiles("/proc/self/fd").Select(TryReadLink), link => link.Contains(hex));
            Assert.ThrowsAny<Exception>(() => Puma.Buffers.SharedMemory.SharedMemoryRing.Attach(name).Dispose());
        }
        Assert.False(File.Exists(Path.Combine("/dev/shm", name)), $"{name} is in /dev/shm after dispose");
        Assert.False(!sealedSegment && File.Exists(path), $"{path} is still there after dispose");
    }

    private static string TryReadLink(string fd)
    {
        try
        {
            return new FileInfo(fd).LinkTarget ?? "";
        }
        catch (IOException)
        {
            return "";
        }
    }
}
