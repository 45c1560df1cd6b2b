using System.Text.Json;
using Puma.Buffers.Events;

namespace Puma.Buffers.Tests.Events;

/// <summary>PumaEvent in one process: state, waits, pulse, cancellation, timeouts, bad input, attach by JSON, corruption, clean-up.</summary>
public class PumaEventTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task ANewEventIsResetAndSetResetChangeIsSet()
    {
        await using var e = PumaEvent.Create("state");
        Assert.Equal("state", e.Name);
        Assert.False(e.IsSet);
        e.Set();
        Assert.True(e.IsSet);
        e.Set();
        Assert.True(e.IsSet);
        e.Reset();
        Assert.False(e.IsSet);
        e.Reset();
        Assert.False(e.IsSet);
    }

    [Fact]
    public async Task SetAndPulseEachAdvanceTheGenerationOnceWhileResetAndARepeatedSetDoNot()
    {
        await using var e = PumaEvent.Create("generations");
        Assert.Equal(0, EventWord.Generation(e.ReadWord()));
        e.Set();
        e.Set();
        Assert.Equal(1, EventWord.Generation(e.ReadWord()));
        e.Reset();
        Assert.Equal(1, EventWord.Generation(e.ReadWord()));
        e.Pulse();
        Assert.Equal(2, EventWord.Generation(e.ReadWord()));
        Assert.False(e.IsSet);
        e.Set();
        e.Pulse(); // a pulse of a set event resets it
        Assert.Equal(4, EventWord.Generation(e.ReadWord()));
        Assert.False(e.IsSet);
    }

    [Fact]
    public async Task AWaitOnASetEventCompletesAtOnce()
    {
        await using var e = PumaEvent.Create("set");
        e.Set();
        Assert.True(e.WaitAsync().IsCompletedSuccessfully);
        Assert.True(await e.WaitAsync(TimeSpan.Zero));
    }

    [Fact]
    public async Task APendingWaitCompletesWhenAnotherThreadSetsTheEvent()
    {
        await using var e = PumaEvent.Create("wake");
        var wait = e.WaitAsync().AsTask();
        await Task.Delay(100); // past the spin: the wait is parked on the futex
        Assert.False(wait.IsCompleted);
        await Task.Run(e.Set);
        await wait.WaitAsync(Patience);
        Assert.True(e.IsSet);
    }

    [Fact]
    public async Task APulseWakesEveryPendingWaitLeavesTheEventResetAndALaterWaitDoesNotSeeIt()
    {
        await using var e = PumaEvent.Create("pulse");
        var waits = Enumerable.Range(0, 3).Select(_ => e.WaitAsync().AsTask()).ToArray();
        await Task.Delay(100);
        Assert.All(waits, w => Assert.False(w.IsCompleted));
        e.Pulse();
        await Task.WhenAll(waits).WaitAsync(Patience);
        Assert.False(e.IsSet);
        Assert.False(await e.WaitAsync(TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public async Task ASetFollowedAtOnceByAResetStillCompletesAPendingWait()
    {
        await using var e = PumaEvent.Create("blink");
        var wait = e.WaitAsync().AsTask();
        await Task.Delay(100);
        e.Set();
        e.Reset();
        await wait.WaitAsync(Patience);
        Assert.False(e.IsSet);
    }

    [Fact]
    public async Task CancellingAWaitThrowsOperationCanceledAndLeavesTheEventUsable()
    {
        await using var e = PumaEvent.Create("cancel");
        using var cts = new CancellationTokenSource();
        var wait = e.WaitAsync(cts.Token).AsTask();
        await Task.Delay(100);
        cts.Cancel();
        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(Patience));
        Assert.Equal(cts.Token, error.CancellationToken);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => e.WaitAsync(cts.Token).AsTask());

        var next = e.WaitAsync().AsTask();
        e.Set();
        await next.WaitAsync(Patience);
    }

    [Fact]
    public async Task ATimeoutReturnsFalseAndACancelledTokenStillThrows()
    {
        await using var e = PumaEvent.Create("timeout");
        Assert.False(await e.WaitAsync(TimeSpan.FromMilliseconds(50)));
        using var cts = new CancellationTokenSource(50);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => e.WaitAsync(Timeout.InfiniteTimeSpan, cts.Token).AsTask());
    }

    [Fact]
    public async Task BadTimeoutsAndNamesAreRejectedNamingTheValueAndTheLimit()
    {
        await using var e = PumaEvent.Create("bad");
        var timeout = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => e.WaitAsync(TimeSpan.FromMilliseconds(-5)).AsTask());
        Assert.Equal("timeout", timeout.ParamName);
        Assert.Contains("Event 'bad'", timeout.Message);
        Assert.Contains("2147483647 ms", timeout.Message);

        Assert.Throws<ArgumentException>(() => PumaEvent.Create(" "));
        var tooLong = Assert.Throws<ArgumentException>(() => PumaEvent.Create(new string('x', PumaEvent.MaxNameLength + 1)));
        Assert.Contains("257 characters", tooLong.Message);
        Assert.Contains("limit is 256", tooLong.Message);
    }

    [Fact]
    public async Task AnEventReadFromJsonAttachesOnFirstUseAndSharesTheState()
    {
        await using var e = PumaEvent.Create("shared");
        var json = JsonSerializer.Serialize(e);
        Assert.Equal($"{{\"name\":\"shared\",\"segment\":\"{e.SegmentName}\"}}", json);
        await using var other = JsonSerializer.Deserialize<PumaEvent>(json)!;
        Assert.Equal(json, JsonSerializer.Serialize(other)); // the round trip maps nothing and keeps the identity

        var wait = other.WaitAsync().AsTask();
        e.Set();
        await wait.WaitAsync(Patience);
        Assert.True(other.IsSet);
        other.Reset();
        Assert.False(e.IsSet);
    }

    [Fact]
    public async Task AnEventWhoseHeaderIsCorruptFailsToAttachWithBufferCorrupted()
    {
        await using var e = PumaEvent.Create("corrupt");
        e.CorruptMagic(0x1122334455667788);
        await using var other = JsonSerializer.Deserialize<PumaEvent>(JsonSerializer.Serialize(e))!;
        var error = Assert.Throws<BufferCorruptedException>(() => other.IsSet);
        Assert.Contains("Event 'corrupt'", error.Message);
        Assert.Contains("0x1122334455667788", error.Message);
        Assert.Contains($"0x{EventLayout.Magic:X16}", error.Message);
    }

    [Fact]
    public void MalformedJsonIsRejectedNamingWhatIsMissing()
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<PumaEvent>("{\"name\":\"x\"}"));
        Assert.Contains("needs a 'name' and a 'segment'", error.Message);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<PumaEvent>("{\"name\":\"x\",\"size\":1}"));
    }

    [Fact]
    public async Task DisposingFailsPendingWaitsAndLeavesNoSegmentBehind()
    {
        var e = PumaEvent.Create("gone");
        var segment = e.SegmentName;
        var wait = e.WaitAsync().AsTask();
        await Task.Delay(100);
        await e.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => wait.WaitAsync(Patience));
        Assert.Throws<ObjectDisposedException>(e.Set);
        Assert.Throws<ObjectDisposedException>(() => e.IsSet);

        var hex = segment.Split('@')[0];
        Assert.DoesNotContain(Directory.EnumerateFiles("/proc/self/fd").Select(LinkOf), link => link.Contains(hex, StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine("/dev/shm", segment)));
        Assert.False(File.Exists(Path.Combine("/dev/shm", hex)));
    }

    private static string LinkOf(string fd)
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
