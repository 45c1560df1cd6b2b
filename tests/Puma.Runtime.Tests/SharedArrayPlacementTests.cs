using Puma.Buffers;
using Puma.Runnables;
using Puma.Runtime.Tests.Runnables;
using Puma.Tests.Common;
using static Puma.Runtime.Tests.SharedSegmentCheck;
using static Puma.Runtime.Tests.TestSupport;

namespace Puma.Runtime.Tests;

/// <summary>Shared arrays made by the runtime, written in place by runnables in threads and in processes.</summary>
public class SharedArrayPlacementTests
{
    [Theory]
    [MemberData(nameof(Placements), MemberType = typeof(TestSupport))]
    public async Task ARunnableWritesAnArrayInPlaceAndTheParentReadsItBackExact(Placement placement)
    {
        await using var runtime = NewRuntime();
        var input = runtime.CreateSharedArray<float>("input", 300, 7);
        var output = runtime.CreateSharedArrayLike("output", input);
        var pid = runtime.CreateSharedArray<int>("pid", 1);
        for (var i = 0; i < input.Length; i++)
            input[i] = i;
        runtime.Add(new Tripler { Name = "tripler", Input = input, Output = output, Pid = pid }, placement);

        await runtime.StartAsync();
        await runtime.WaitAsync().WaitAsync(Patience);

        // The child has exited by now, so its pid is only compared with ours.
        Assert.Equal(placement == Placement.Thread, pid[0] == Environment.ProcessId);
        Assert.True(pid[0] > 0);
        Assert.Equal([300, 7], output.Lengths.ToArray());
        for (var i = 0; i < 300; i++)
        {
            for (var j = 0; j < 7; j++)
                Assert.Equal((3f * ((i * 7) + j)) + j, output[i, j]);
        }
    }

    [Fact]
    public async Task AProcessRunnableGivenACorruptSegmentFailsNamingTheField()
    {
        await using var runtime = NewRuntime();
        var input = runtime.CreateSharedArray<float>("input", 2, 2);
        var output = runtime.CreateSharedArrayLike("output", input);
        var pid = runtime.CreateSharedArray<int>("pid", 1);
        CorruptElementSize(input, 8);
        runtime.Add(new Tripler { Name = "tripler", Input = input, Output = output, Pid = pid }, Placement.Process);

        await runtime.StartAsync();
        var failure = await Assert.ThrowsAsync<RunnableFailedException>(() => runtime.WaitAsync().WaitAsync(Patience));

        AssertErrorType<BufferCorruptedException>(failure.InnerException);
        Assert.Equal("Shared array 'input': element size 8 is outside 4..4.", failure.InnerException!.Message);
        Assert.Equal(0, pid[0]);
    }

    [Fact]
    public async Task TheRuntimeFreesItsArraysAndReleasesTheirSegments()
    {
        SharedArray<int> array;
        SharedArray<double> like;
        await using (var runtime = NewRuntime())
        {
            array = runtime.CreateSharedArray<int>("a", 4, 4);
            like = runtime.CreateSharedArrayLike<double, int>("b", array);
            Assert.Equal([4, 4], like.Lengths.ToArray());
            Assert.StartsWith("A shared object named 'a' already exists in this runtime.", Assert.Throws<ArgumentException>(() => runtime.CreateSharedArray<int>("a", 1)).Message);
            array[3, 3] = 1;
            Assert.Equal(OperatingSystem.IsLinux(), MemfdProbe.HoldsMemfd(SegmentOf(array)));
            Assert.Equal(OperatingSystem.IsLinux(), MemfdProbe.HoldsMemfd(SegmentOf(like)));
        }

        Assert.Throws<ObjectDisposedException>(() => array.AsSpan());
        Assert.Throws<ObjectDisposedException>(() => like[0]);
        Assert.False(MemfdProbe.HoldsMemfd(SegmentOf(array)));
        Assert.False(MemfdProbe.HoldsMemfd(SegmentOf(like)));
    }

    [Fact]
    public async Task ADisposedRuntimeCreatesNoArray()
    {
        var runtime = NewRuntime();
        await runtime.DisposeAsync();
        Assert.Throws<ObjectDisposedException>(() => runtime.CreateSharedArray<int>("late", 1));
    }

    /// <summary>Overwrites the element size in the array's header (the 128 bytes before its first element).</summary>
    private static unsafe void CorruptElementSize(SharedArray<float> array, int size)
    {
        fixed (float* first = array.AsSpan())
            *(int*)((byte*)first - 128 + 16) = size;
    }
}
