using System.Text.Json;
using Puma.Tests.Common;
using static Puma.Buffers.Tests.Shared.SharedTestSupport;

namespace Puma.Buffers.Tests.Shared;

public class SharedDictionaryTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    public readonly record struct Point3(double X, double Y, double Z);

    [Fact]
    public void StringKeysMapToLongValues()
    {
        using var counts = SharedDictionary<string, long>.Create("counts", 10, maxKeyLength: 8, maxValueLength: 0);
        Assert.Equal(0, counts.Count);
        Assert.Equal(10, counts.Capacity);
        Assert.Equal(8, counts.MaxKeyLength);
        Assert.False(counts.TryGetValue("a", out _));

        counts["apple"] = 3;
        counts.Set("pear", 4);
        Assert.True(counts.TryAdd("fig", 5));
        Assert.False(counts.TryAdd("fig", 6));
        counts["apple"] = 30;
        Assert.Equal(7, counts.Increment("pear", 3));
        Assert.Equal(1, counts.Increment("kiwi"));
        Assert.Equal(-1, counts.Increment("lime", -1));

        Assert.Equal(30, counts["apple"]);
        Assert.Equal(7, counts["pear"]);
        Assert.Equal(5, counts["fig"]);
        Assert.True(counts.ContainsKey("kiwi"));
        Assert.Equal(5, counts.Count);
        Assert.Equal(new Dictionary<string, long> { ["apple"] = 30, ["pear"] = 7, ["fig"] = 5, ["kiwi"] = 1, ["lime"] = -1 }, counts.ToDictionary());
        Assert.Equal("Shared dictionary 'counts' has no key 'plum'.", Assert.Throws<KeyNotFoundException>(() => counts["plum"]).Message);
    }

    [Fact]
    public void UnmanagedKeysAndWideAndStringValuesWork()
    {
        using var points = SharedDictionary<int, Point3>.Create("points", 100, 0, 0);
        for (var i = 0; i < 100; i++)
            points[i * 7919] = new Point3(i, -i, i * 0.5);
        Assert.Equal(100, points.Count);
        for (var i = 0; i < 100; i++)
            Assert.Equal(new Point3(i, -i, i * 0.5), points[i * 7919]);
        points[0] = new Point3(9, 9, 9);
        Assert.Equal(new Point3(9, 9, 9), points[0]);

        using var names = SharedDictionary<long, string?>.Create("names", 4, 0, maxValueLength: 12);
        names[1] = "one";
        names[2] = "zwei €"; // 8 UTF-8 bytes
        names[3] = null;
        names[1] = "uno";
        Assert.Equal("uno", names[1]);
        Assert.Equal("zwei €", names[2]);
        Assert.True(names.TryGetValue(3, out var none));
        Assert.Null(none);
        Assert.Equal("", names[4] = "");
        Assert.Equal("", names[4]);
    }

    [Fact]
    public void AFullDictionaryThrowsNamingItsCapacityAndStillUpdatesItsKeys()
    {
        using var dictionary = SharedDictionary<int, int>.Create("small", 3, 0, 0);
        dictionary[1] = 1;
        dictionary[2] = 2;
        dictionary[3] = 3;
        var error = Assert.Throws<SharedDictionaryFullException>(() => dictionary[4] = 4);
        Assert.Equal("Shared dictionary 'small' is full: it holds 3 entries, its capacity. Create it with a larger capacity.", error.Message);
        Assert.Equal(3, error.Capacity);
        Assert.Equal("small", error.DictionaryName);
        Assert.Throws<SharedDictionaryFullException>(() => dictionary.TryAdd(5, 5));
        Assert.Throws<SharedDictionaryFullException>(() => dictionary.Increment(6, 1));
        dictionary[2] = 20;
        Assert.Equal(4, dictionary.Increment(3, 1));
        Assert.Equal(3, dictionary.Count);
        Assert.Equal(new Dictionary<int, int> { [1] = 1, [2] = 20, [3] = 4 }, dictionary.ToDictionary());
    }

    [Fact]
    public void StringsLongerThanTheirLimitAreRefusedNamingTheLengthAndTheLimit()
    {
        using var dictionary = SharedDictionary<string, string>.Create("limits", 4, maxKeyLength: 4, maxValueLength: 3);
        var key = Assert.Throws<ArgumentException>(() => dictionary["abcde"] = "x");
        Assert.StartsWith("Shared dictionary 'limits': the key \"abcde\" is 5 UTF-8 bytes long, more than the limit of 4 bytes it was created with.", key.Message);
        Assert.Equal("key", key.ParamName);
        Assert.StartsWith("Shared dictionary 'limits': the key \"éé€\" is 7 UTF-8 bytes long, more than the limit of 4 bytes it was created with.", Assert.Throws<ArgumentException>(() => dictionary.TryGetValue("éé€", out _)).Message);
        var value = Assert.Throws<ArgumentException>(() => dictionary["abcd"] = "wxyz");
        Assert.StartsWith("Shared dictionary 'limits': the value \"wxyz\" is 4 UTF-8 bytes long, more than the limit of 3 bytes it was created with.", value.Message);
        Assert.Equal(0, dictionary.Count);
        Assert.Throws<ArgumentNullException>(() => dictionary[null!] = "x");
    }

    [Fact]
    public void BadArgumentsAreRefusedNamingTheValueAndTheLimit()
    {
        Assert.StartsWith("Shared dictionary 'd': capacity 0 is outside 1..268435456.", Assert.Throws<ArgumentOutOfRangeException>(() => SharedDictionary<int, int>.Create("d", 0, 0, 0)).Message);
        Assert.StartsWith("Shared dictionary 'd': maxKeyLength 0 is outside 1..4096 (UTF-8 bytes); string keys need it.", Assert.Throws<ArgumentOutOfRangeException>(() => SharedDictionary<string, int>.Create("d", 1, 0, 0)).Message);
        Assert.StartsWith("Shared dictionary 'd': maxValueLength 5000 is outside 1..4096 (UTF-8 bytes); string values need it.", Assert.Throws<ArgumentOutOfRangeException>(() => SharedDictionary<int, string>.Create("d", 1, 0, 5000)).Message);
        Assert.StartsWith("Shared dictionary 'd': maxKeyLength 8 applies to strings only, and the type is System.Int32; leave it 0.", Assert.Throws<ArgumentException>(() => SharedDictionary<int, int>.Create("d", 1, 8, 0)).Message);
        Assert.Equal("Shared dictionary 'd': System.Object is a reference type or holds references; a shared dictionary holds unmanaged types and strings.", Assert.Throws<NotSupportedException>(() => SharedDictionary<int, object>.Create("d", 1, 0, 0)).Message);
        using var doubles = SharedDictionary<int, double>.Create("doubles", 1, 0, 0);
        Assert.Equal("Shared dictionary 'doubles': Increment needs int, long, uint or ulong values, not System.Double.", Assert.Throws<NotSupportedException>(() => doubles.Increment(1, 1.0)).Message);
    }

    [Fact]
    public void ACopyFromJsonSharesTheEntriesAndMapsOnFirstUse()
    {
        using var dictionary = SharedDictionary<string, int>.Create("shared", 16, maxKeyLength: 16, maxValueLength: 0);
        dictionary["before"] = 1;
        var json = JsonSerializer.Serialize(dictionary);
        Assert.Equal($$"""{"name":"shared","segment":"{{dictionary.SegmentName}}","type":"System.String,System.Int32","size":0}""", json);
        using var copy = JsonSerializer.Deserialize<SharedDictionary<string, int>>(json)!;
        Assert.False(copy.IsMapped);
        Assert.Equal(json, JsonSerializer.Serialize(copy));
        Assert.Equal(1, copy["before"]);
        Assert.True(copy.IsMapped);
        Assert.Equal(16, copy.MaxKeyLength);
        copy["after"] = 2;
        Assert.Equal(2, dictionary["after"]);
        Assert.Equal(2, dictionary.Count);
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<SharedDictionary<string, long>>(json));
    }

    [Fact]
    public async Task ConcurrentWritersThroughTwoMappingsGiveExactTotals()
    {
        using var dictionary = SharedDictionary<string, long>.Create("totals", 64, maxKeyLength: 16, maxValueLength: 0);
        using var copy = CopyAsInAChild(dictionary);
        const int rounds = 20_000;
        var writers = Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            var target = t % 2 == 0 ? dictionary : copy;
            for (var i = 0; i < rounds; i++)
            {
                target.Increment("key" + (i % 50), 1);
                target.TryAdd("first" + (i % 10), t);
            }
        }));
        await Task.WhenAll(writers).WaitAsync(Patience);

        var all = dictionary.ToDictionary();
        Assert.Equal(60, all.Count);
        Assert.Equal(60, copy.Count);
        for (var k = 0; k < 50; k++)
            Assert.Equal(4L * rounds / 50, all["key" + k]);
    }

    [Fact]
    public async Task ConcurrentWideValueWritesAreNeverTornForReaders()
    {
        using var dictionary = SharedDictionary<int, Point3>.Create("wide", 4, 0, 0);
        using var copy = CopyAsInAChild(dictionary);
        dictionary[1] = new Point3(0, 0, 0);
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 2).Select(t => Task.Run(() =>
        {
            var target = t == 0 ? dictionary : copy;
            for (var i = 0; !stop.IsCancellationRequested; i++)
                target[1] = new Point3(i, i, i);
        }));
        var torn = 0;
        for (var i = 0; i < 200_000; i++)
        {
            var p = copy[1];
            if (p.X != p.Y || p.Y != p.Z)
                torn++;
        }
        stop.Cancel();
        await Task.WhenAll(writers).WaitAsync(Patience);
        Assert.Equal(0, torn);
    }

    [Fact]
    public unsafe void ACorruptHeaderIsReportedWhenACopyMapsIt()
    {
        using var dictionary = SharedDictionary<string, long>.Create("bad", 10, maxKeyLength: 8, maxValueLength: 0);
        *(int*)(dictionary.Segment + 16) = 0; // the capacity
        Assert.Equal("Shared dictionary 'bad': capacity 0 is outside 1..268435456.", Assert.Throws<BufferCorruptedException>(() => CopyAsInAChild(dictionary).Count).Message);
        *(int*)(dictionary.Segment + 16) = 10;
        *(int*)(dictionary.Segment + 20) = 1024; // the slot count
        Assert.Equal("Shared dictionary 'bad': slot count 1024 is outside 16..16.", Assert.Throws<BufferCorruptedException>(() => CopyAsInAChild(dictionary)["x"]).Message);
        *(int*)(dictionary.Segment + 20) = 16;
        *(ulong*)dictionary.Segment = 0;
        Assert.Equal("Shared dictionary 'bad': magic 0x0000000000000000 is not the Puma shared object magic 0x31524853414D5550.", Assert.Throws<BufferCorruptedException>(() => CopyAsInAChild(dictionary).Count).Message);
        *(ulong*)dictionary.Segment = SharedHeader.Magic;
        Assert.Equal(0, CopyAsInAChild(dictionary).Count);
    }

    [Fact]
    public unsafe void ASlotLeftHalfWrittenByADeadProcessFailsWithinSecondsNamingItInsteadOfHanging()
    {
        using var dictionary = SharedDictionary<long, long>.Create("stuck", 1, 0, 0);
        var dead = DeadProcessId();
        var slots = dictionary.Segment + SharedHeader.Size;
        const int slotSize = 32; // state, writer, hash, padding, an 8-byte value, an 8-byte key
        for (var slot = 0; slot < 2; slot++)
            *(ulong*)(slots + (slot * slotSize)) = 1 | ((ulong)(uint)dead << 32); // "being inserted" by a writer killed in the middle

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var error = Assert.Throws<BufferCorruptedException>(() => dictionary.TryGetValue(7, out _));
        Assert.Matches($@"^Shared dictionary 'stuck': slot [01] has been busy for over 1000 ms and its writer, process {dead}, is not alive; it died while writing the slot\.$", error.Message);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1), Patience);
        Assert.Throws<BufferCorruptedException>(() => dictionary[7] = 1);
    }

    [Fact]
    public unsafe void ASlowLiveWriterIsWaitedForPastTheSecond()
    {
        using var dictionary = SharedDictionary<int, Point3>.Create("slow", 1, 0, 0);
        dictionary[7] = new Point3(1, 2, 3);
        var slots = dictionary.Segment + SharedHeader.Size;
        const int slotSize = 16 + 24 + 8; // state, writer, hash, padding, a 24-byte value, a 4-byte key rounded to 8
        var slot = *(uint*)slots == 2 ? slots : slots + slotSize;
        Assert.Equal(2u, *(uint*)slot);
        *(ulong*)slot = 3 | ((ulong)(uint)Environment.ProcessId << 32); // a wide write in progress by a live writer, descheduled
        var address = (nint)slot;
        var writer = new Thread(() =>
        {
            Thread.Sleep(1500);
            Volatile.Write(ref *(uint*)address, 4u); // the writer finishes
        });
        writer.Start();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(new Point3(1, 2, 3), dictionary[7]);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.4), Patience);
        Assert.True(writer.Join(Patience));
    }

    private static int DeadProcessId()
    {
        using var process = System.Diagnostics.Process.Start("true")!;
        process.WaitForExit();
        return process.Id;
    }

    [Fact]
    public void ADisposedDictionaryLeavesNothingBehind()
    {
        var before = PumaSegmentFiles();
        var dictionary = SharedDictionary<int, int>.Create("gone", 1000, 0, 0);
        var segment = dictionary.SegmentName;
        dictionary[1] = 1;
        dictionary.Dispose();
        Assert.Throws<ObjectDisposedException>(() => dictionary[1]);
        Assert.False(MemfdProbe.HoldsMemfd(segment));
        Assert.Equal(before, PumaSegmentFiles());
    }

    [Fact]
    public void ADictionaryOfMoreThan16GiBIsRefusedNamingItsBytesAndTheLimit()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => SharedDictionary<string, string>.Create("huge", SharedDictionaryLayout.MaxCapacity, 4096, 4096));
        Assert.StartsWith("Shared dictionary 'huge': 268435456 entries of 8224 bytes (key limit 4096, value limit 4096) in 536870912 slots take 4415226380416 bytes, more than the 17179869184 bytes (16 GiB) a shared dictionary may take; lower the capacity or the string limits.", error.Message);
    }

    [Fact]
    public async Task AThreadStillUsingADictionaryWhenItIsDisposedGetsObjectDisposedException()
    {
        var dictionary = SharedDictionary<string, long>.Create("busy", 16, maxKeyLength: 8, maxValueLength: 0);
        var user = Task.Factory.StartNew(() =>
        {
            while (true)
            {
                dictionary.Increment("k");
                _ = dictionary.TryGetValue("k", out _);
                _ = dictionary.Count;
            }
        }, TaskCreationOptions.LongRunning);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while ((!dictionary.TryGetValue("k", out var n) || n < 10_000) && clock.Elapsed < Patience)
            Thread.Yield();

        dictionary.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => user.WaitAsync(Patience));
    }
}
