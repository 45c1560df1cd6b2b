using Puma.Runnables;
using Puma.Runtime.Tests.Runnables;
using static Puma.Runtime.Tests.TestSupport;

namespace Puma.Runtime.Tests;

/// <summary>Leased inputs and claimed outputs in runnables, in every placement.</summary>
public class LeasedPipelineTests
{
    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task AProcessorForwardingWithLeasesAndClaimsDeliversEveryItemOnceInOrder(Placement placement)
    {
        await using var runtime = NewRuntime();
        var raw = runtime.CreateBuffer<byte[]>("raw", 8, capacityBytes: 64 * 1024);
        var incremented = runtime.CreateBuffer<byte[]>("incremented", 8, capacityBytes: 64 * 1024);
        var summaries = runtime.CreateBuffer<Summary>("summaries", 4);
        runtime.Add(new ClaimingProducer { Output = raw.Writer, Count = 3000, Size = 3000 }, placement);
        runtime.Add(new LeasedIncrement { Input = raw.Reader, Output = incremented.Writer }, placement);
        runtime.Add(new LeasedChecker { Name = "checker", Input = incremented.Reader, Output = summaries.Writer, Added = 1 }, placement);
        var results = summaries.Reader;
        await runtime.StartAsync();

        var summary = Assert.Single(await ReadAllAsync(results));
        await runtime.WaitAsync().WaitAsync(Patience);

        Assert.Equal(new Summary("checker", 3000, 3000L * 2999 / 2, true), summary);
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task TheTestProcessReadsAChildsClaimedOutputOnLeases(Placement placement)
    {
        await using var runtime = NewRuntime();
        var raw = runtime.CreateBuffer<byte[]>("raw", 8, capacityBytes: 64 * 1024);
        runtime.Add(new ClaimingProducer { Output = raw.Writer, Count = 500, Size = 100 }, placement);
        var reader = raw.Reader;
        await runtime.StartAsync();

        var seen = new List<long>();
        using var cts = new CancellationTokenSource(Patience);
        while (await reader.WaitToReadAsync(cts.Token))
        {
            while (reader.TryLease(out var lease))
            {
                using (lease)
                {
                    var seq = LeasedFrames.SeqOf(lease.Span);
                    Assert.Equal(100, lease.Length);
                    Assert.True(LeasedFrames.BodyMatches(lease.Span, seq, 0));
                    seen.Add(seq);
                }
            }
        }
        await runtime.WaitAsync().WaitAsync(Patience);
        Assert.Equal(Enumerable.Range(0, 500).Select(i => (long)i), seen);
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task AHandlerThatThrowsInsideALeaseReleasesItAndFailsTheRunnableAsInputDoes(Placement placement)
    {
        await using var runtime = NewRuntime();
        var raw = runtime.CreateBuffer<byte[]>("raw", 8, capacityBytes: 64 * 1024);
        var incremented = runtime.CreateBuffer<byte[]>("incremented", 64, capacityBytes: 256 * 1024);
        runtime.Add(new ClaimingProducer { Output = raw.Writer, Count = 100, Size = 512 }, placement);
        runtime.Add(new LeasedIncrement { Name = "incrementer", Input = raw.Reader, Output = incremented.Writer, FailAt = 10 }, placement);
        var results = incremented.Reader;
        await runtime.StartAsync();

        var failure = await Assert.ThrowsAsync<RunnableFailedException>(() => runtime.WaitAsync().WaitAsync(Patience));
        Assert.Equal("incrementer", failure.RunnableName);
        Assert.Equal(placement, failure.Placement);
        Assert.Contains("leased increment failed at frame 10", failure.Message);

        // The ten frames forwarded before the failure arrive, then the error.
        var drained = new List<long>();
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await foreach (var f in results.ReadAllAsync(new CancellationTokenSource(Patience).Token))
                drained.Add(LeasedFrames.SeqOf(f));
        });
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), drained);
        Assert.Contains("leased increment failed at frame 10", error.Message);
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task ASynchronousLeasedHandlerThatThrowsFailsTheRunnable(Placement placement)
    {
        await using var runtime = NewRuntime();
        var raw = runtime.CreateBuffer<byte[]>("raw", 8, capacityBytes: 64 * 1024);
        var summaries = runtime.CreateBuffer<Summary>("summaries", 4);
        runtime.Add(new ClaimingProducer { Output = raw.Writer, Count = 100, Size = 64 }, placement);
        runtime.Add(new LeasedChecker { Name = "checker", Input = raw.Reader, Output = summaries.Writer, FailAt = 7 }, placement);
        var results = summaries.Reader;
        await runtime.StartAsync();

        var failure = await Assert.ThrowsAsync<RunnableFailedException>(() => runtime.WaitAsync().WaitAsync(Patience));
        Assert.Equal("checker", failure.RunnableName);
        Assert.Contains("leased checker failed at frame 7", failure.Message);
        var error = await Assert.ThrowsAnyAsync<Exception>(() => ReadAllAsync(results));
        Assert.Contains("leased checker failed at frame 7", error.Message);
    }

    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task ALeasedInputOfItemsWithoutAByteLayoutFailsAtConfigureNamingTheType(Placement placement)
    {
        await using var runtime = NewRuntime();
        var frames = runtime.CreateBuffer<Frame>("frames", 8);
        runtime.Add(new LeasedFrameReader { Name = "lessee", Input = frames.Reader }, placement);
        var writer = frames.Writer;
        await runtime.StartAsync();

        var failure = await Assert.ThrowsAsync<RunnableFailedException>(() => runtime.WaitAsync().WaitAsync(Patience));
        Assert.Equal("lessee", failure.RunnableName);
        Assert.Contains("Runnable 'lessee': a leased input needs items with a byte layout. Cannot lease items of type Frame as bytes", failure.Message);
    }
}
