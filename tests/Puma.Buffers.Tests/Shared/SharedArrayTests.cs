using System.Text.Json;
using Puma.Tests.Common;
using static Puma.Buffers.Tests.Shared.SharedTestSupport;

namespace Puma.Buffers.Tests.Shared;

public unsafe class SharedArrayTests
{
    [Fact]
    public void AOneDimensionalArrayIsZeroedAndIndexedInPlace()
    {
        using var array = SharedArray<int>.Create("a", [5]);
        Assert.Equal(5, array.Length);
        Assert.Equal(1, array.Rank);
        Assert.Equal([5], array.Lengths.ToArray());
        Assert.Equal(20, array.ByteLength);
        Assert.Equal([0, 0, 0, 0, 0], array.AsSpan().ToArray());

        array[0] = 7;
        array[4] = 9;
        array.AsSpan(1, 2).Fill(3);

        Assert.Equal([7, 3, 3, 0, 9], array.AsSpan().ToArray());
        Assert.Equal([7, 3, 3, 0, 9], array.Memory.ToArray());
    }

    [Fact]
    public void MultiDimensionalIndexingIsRowMajor()
    {
        using var matrix = SharedArray<long>.Create("m", [3, 4]);
        for (var i = 0; i < 3; i++)
        {
            for (var j = 0; j < 4; j++)
                matrix[i, j] = (i * 10) + j;
        }

        Assert.Equal(2, matrix.Rank);
        Assert.Equal(3, matrix.GetLength(0));
        Assert.Equal(4, matrix.GetLength(1));
        Assert.Equal([0L, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23], matrix.AsSpan().ToArray());
        Assert.Equal([20L, 21, 22, 23], matrix.Row(2).ToArray());
        Assert.Equal(12, matrix[1, 2]);
        Assert.Equal(12, matrix[6]);
        Assert.Equal(12, matrix.At(1, 2));

        using var cube = SharedArray<short>.Create("c", [2, 3, 4]);
        cube[1, 2, 3] = 5;
        cube.At(1, 0, 1) = 6;
        Assert.Equal(5, cube[23]);
        Assert.Equal(6, cube[13]);
        Assert.Equal(5, cube.Row(1)[11]);

        using var four = SharedArray<byte>.Create("f", [2, 2, 2, 2]);
        four.At(1, 1, 0, 1) = 1;
        Assert.Equal(1, four[13]);
    }

    [Fact]
    public void IndicesOutsideTheArrayThrowNamingTheIndexAndTheLength()
    {
        using var matrix = SharedArray<float>.Create("grid", [3, 4]);

        Assert.Equal("Shared array 'grid': index 12 is outside 0..11 (length 12).", Assert.Throws<IndexOutOfRangeException>(() => matrix[12]).Message);
        Assert.Equal("Shared array 'grid': index -1 is outside 0..11 (length 12).", Assert.Throws<IndexOutOfRangeException>(() => matrix[-1]).Message);
        Assert.Equal("Shared array 'grid': index of dimension 0 3 is outside 0..2 (length 3).", Assert.Throws<IndexOutOfRangeException>(() => matrix[3, 0]).Message);
        Assert.Equal("Shared array 'grid': index of dimension 1 4 is outside 0..3 (length 4).", Assert.Throws<IndexOutOfRangeException>(() => matrix[0, 4]).Message);
        Assert.Equal("Shared array 'grid': index of dimension 1 -2 is outside 0..3 (length 4).", Assert.Throws<IndexOutOfRangeException>(() => matrix.At(1, -2)).Message);
        Assert.Equal("Shared array 'grid' has 2 dimension(s): index it with 2 index(es), or with one flat index.", Assert.Throws<InvalidOperationException>(() => matrix[0, 0, 0]).Message);
        Assert.StartsWith("Shared array 'grid' has 2 dimension(s), not 3.", Assert.Throws<ArgumentException>(() => matrix.At(0, 0, 0)).Message);
        Assert.StartsWith("Shared array 'grid': elements 10..13 (start 10, length 3) are not inside its 12 elements.", Assert.Throws<ArgumentOutOfRangeException>(() => matrix.AsSpan(10, 3)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => matrix.AsSpan(-1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => matrix.GetLength(2));
        Assert.Throws<IndexOutOfRangeException>(() => matrix.Row(3));
    }

    [Fact]
    public void ABadShapeIsRefusedNamingTheValueAndTheLimit()
    {
        Assert.StartsWith("Shared array 'x': length -1 of dimension 1 is negative.", Assert.Throws<ArgumentOutOfRangeException>(() => SharedArray<int>.Create("x", [2, -1])).Message);
        Assert.StartsWith("Shared array 'x': 0 dimensions; a shared array has 1 to 8.", Assert.Throws<ArgumentOutOfRangeException>(() => SharedArray<int>.Create("x", [])).Message);
        Assert.StartsWith("Shared array 'x': 9 dimensions; a shared array has 1 to 8.", Assert.Throws<ArgumentOutOfRangeException>(() => SharedArray<int>.Create("x", [1, 1, 1, 1, 1, 1, 1, 1, 1])).Message);
        Assert.StartsWith("Shared array 'x': 65536 x 65536 elements is more than 2147483647, the most a Span<T> holds.", Assert.Throws<ArgumentOutOfRangeException>(() => SharedArray<int>.Create("x", [65536, 65536])).Message);
    }

    [Fact]
    public void AnEmptyArrayWorks()
    {
        using var empty = SharedArray<double>.Create("empty", [0]);
        Assert.Equal(0, empty.Length);
        Assert.True(empty.AsSpan().IsEmpty);
        Assert.Throws<IndexOutOfRangeException>(() => empty[0]);
    }

    [Fact]
    public void ACopyFromJsonMapsTheSameMemoryOnFirstUseOnly()
    {
        using var array = SharedArray<int>.Create("shared", [2, 3]);
        var json = JsonSerializer.Serialize(array);
        Assert.Equal($$"""{"name":"shared","segment":"{{array.SegmentName}}","type":"System.Int32","size":4,"lengths":[2,3]}""", json);

        using var copy = JsonSerializer.Deserialize<SharedArray<int>>(json)!;
        Assert.False(copy.IsMapped);
        Assert.Equal(json, JsonSerializer.Serialize(copy));
        Assert.False(copy.IsMapped);
        Assert.Equal([2, 3], copy.Lengths.ToArray());

        copy[1, 2] = 42;
        Assert.True(copy.IsMapped);
        Assert.Equal(42, array[1, 2]);
        array[0, 1] = 17;
        Assert.Equal(17, copy[0, 1]);
    }

    [Fact]
    public void JsonOfAnotherElementTypeIsRefused()
    {
        using var array = SharedArray<int>.Create("ints", [4]);
        var json = JsonSerializer.Serialize(array);
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<SharedArray<float>>(json));
        Assert.Equal("SharedArray 'ints' holds System.Int32 (4 bytes), not System.Single (4 bytes): declare the property with the type the object was created with.", error.Message);
        Assert.Null(JsonSerializer.Deserialize<SharedArray<int>>("null"));
    }

    [Fact]
    public void ACorruptHeaderIsReportedWhenACopyMapsIt()
    {
        using var array = SharedArray<int>.Create("bad", [4]);
        var header = (byte*)array.Address - SharedArrayLayout.DataOffset;

        *(ulong*)header = 0x1234;
        var copy = CopyAsInAChild(array);
        Assert.Equal("Shared array 'bad': magic 0x0000000000001234 is not the Puma shared object magic 0x31524853414D5550.", Assert.Throws<BufferCorruptedException>(() => copy[0]).Message);
        Assert.False(copy.IsMapped);
        *(ulong*)header = SharedHeader.Magic;

        *(int*)(header + 32) = 5; // the length of dimension 0
        copy = CopyAsInAChild(array);
        Assert.Equal("Shared array 'bad': length of dimension 0 5 is outside 4..4.", Assert.Throws<BufferCorruptedException>(() => copy.AsSpan()).Message);
        *(int*)(header + 32) = 4;

        *(int*)(header + 16) = 8; // the element size
        copy = CopyAsInAChild(array);
        Assert.Equal("Shared array 'bad': element size 8 is outside 4..4.", Assert.Throws<BufferCorruptedException>(() => copy.AsSpan()).Message);
        *(int*)(header + 16) = 4;

        *(int*)(header + 8) = 2; // the version
        copy = CopyAsInAChild(array);
        Assert.Equal("Shared array 'bad': layout version 2 is not the supported version 1.", Assert.Throws<BufferCorruptedException>(() => copy.AsSpan()).Message);
        *(int*)(header + 8) = 1;

        *(int*)(header + 12) = 2; // the kind
        copy = CopyAsInAChild(array);
        Assert.Equal("Shared array 'bad': kind 2 is not 1 (Array).", Assert.Throws<BufferCorruptedException>(() => copy.AsSpan()).Message);
        *(int*)(header + 12) = 1;

        copy = CopyAsInAChild(array);
        copy[3] = 1;
        Assert.Equal(1, array[3]);
        copy.Dispose();
    }

    [Fact]
    public void ADisposedArrayThrowsAndLeavesNothingBehind()
    {
        var before = PumaSegmentFiles();
        var array = SharedArray<int>.Create("gone", [1000]);
        var segment = array.SegmentName;
        var copy = CopyAsInAChild(array);
        copy[999] = 1;
        Assert.True(MemfdProbe.HoldsMemfd(segment) || !OperatingSystem.IsLinux());

        copy.Dispose();
        array.Dispose();

        Assert.Throws<ObjectDisposedException>(() => array.AsSpan());
        Assert.Throws<ObjectDisposedException>(() => copy[0]);
        Assert.Throws<FileNotFoundException>(() => CopyAsInAChild(array)[0]);
        Assert.False(MemfdProbe.HoldsMemfd(segment));
        Assert.Equal(before, PumaSegmentFiles());
    }

    [Fact]
    public void AQuarterGibibyteArrayWorks()
    {
        const int length = 256 * 1024 * 1024;
        using var bytes = SharedArray<byte>.Create("big", [length]);
        using var floats = SharedArray<float>.Create("bigger", [length]);
        Assert.Equal(1L << 30, floats.ByteLength);

        bytes[length - 1] = 0xAB;
        floats[length - 1] = 1.5f;
        var copy = CopyAsInAChild(floats);
        Assert.Equal(1.5f, copy[length - 1]);
        Assert.Equal(1.5f, copy.AsSpan(length - 1, 1)[0]);
        Assert.Equal(0xAB, CopyAsInAChild(bytes).AsSpan()[length - 1]);
        copy.Dispose();
    }

    [Fact]
    public void MemoryPinsTheMappingItself()
    {
        using var array = SharedArray<int>.Create("pinned", [8]);
        var memory = array.Memory;
        memory.Span[3] = 11;
        using var handle = memory[2..].Pin();
        Assert.Equal(11, ((int*)handle.Pointer)[1]);
        Assert.Equal(8, memory.Length);
    }
}
