using Puma.Buffers.SharedMemory;

namespace Puma.Buffers.Tests.SharedMemory;

/// <summary>
/// The segments under a ring: a file segment (a ring with an explicit name) is created at its length,
/// checked for the smallest length when opened, names that could escape its directory are refused, and no
/// descriptor outlives its mapping or a failed create or open; a memfd that cannot be sized is closed again.
/// </summary>
public class SegmentFileTests
{
    private static string NewName() => "puma-test-" + Guid.NewGuid().ToString("N");

    /// <summary>How many of this process's descriptors name something containing <paramref name="fragment"/>.</summary>
    private static int Descriptors(string fragment) =>
        new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos().Count(fd =>
        {
            try
            {
                return fd.LinkTarget?.Contains(fragment, StringComparison.Ordinal) == true;
            }
            catch (IOException)
            {
                return false; // closed while we looked
            }
        });

    [Fact]
    public void AFileSegmentHasItsLengthAndItsDescriptorGoesWithItsMap()
    {
        var name = NewName();
        var path = Path.Combine(FileSegment.Directory, name);
        try
        {
            var segment = FileSegment.Create(name, 4096);
            try
            {
                Assert.Equal((name, path, 4096L, false), (segment.Name, segment.Path, segment.Length, segment.IsSealed));
                Assert.Equal(4096, new FileInfo(path).Length);
                Assert.Equal(1, Descriptors(name));
            }
            finally
            {
                segment.Map.Dispose();
            }
            Assert.Equal(0, Descriptors(name));

            var opened = FileSegment.Open(name, 4096);
            try
            {
                Assert.Equal((path, 4096L, false), (opened.Path, opened.Length, opened.IsSealed));
                Assert.Equal(1, Descriptors(name));
            }
            finally
            {
                opened.Map.Dispose();
            }
            Assert.Equal(0, Descriptors(name));
            Assert.True(FileSegment.TryDelete(path));
            Assert.False(File.Exists(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AFileSegmentShorterThanTheSmallestRingIsRefusedAndLeftClosed()
    {
        var name = NewName();
        var path = Path.Combine(FileSegment.Directory, name);
        try
        {
            FileSegment.Create(name, 300).Map.Dispose();
            var e = Assert.Throws<BufferCorruptedException>(() => FileSegment.Open(name, 301));
            Assert.Equal($"Segment '{name}' is 300 bytes long, smaller than the smallest ring (301 bytes).", e.Message);
            Assert.Equal(0, Descriptors(name));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AFileSegmentThatCannotBeSizedIsRemovedAndClosed()
    {
        var name = NewName();
        var path = Path.Combine(FileSegment.Directory, name);
        try
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => FileSegment.Create(name, -1));
            Assert.False(File.Exists(path));
            Assert.Equal(0, Descriptors(name));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData(".hidden")]
    [InlineData("puma-test x")]
    [InlineData("puma-test/x")]
    [InlineData("puma-test\u00e9")]
    public void ASegmentNameMustBePlainAsciiAndNotHidden(string name)
    {
        var path = Path.Combine(FileSegment.Directory, name);
        var existed = name.Length > 0 && File.Exists(path);
        try
        {
            var e = Assert.Throws<ArgumentException>(() => FileSegment.Create(name, 4096));
            Assert.Equal("name", e.ParamName);
            Assert.StartsWith($"Ring name '{name}' must be 1 to 200 letters, digits, '-', '_' or '.', not starting with '.'.", e.Message);
            Assert.Equal("name", Assert.Throws<ArgumentException>(() => FileSegment.Open(name, 0)).ParamName);
        }
        finally
        {
            if (!existed && name.Length > 0 && !name.Contains('/') && File.Exists(path))
                File.Delete(path); // created by a broken check
        }
    }

    [Fact]
    public void ASegmentNameHasAtMost200Characters()
    {
        var longest = Path.Combine(FileSegment.Directory, NewName().PadRight(200, 'x'));
        var tooLong = Path.Combine(FileSegment.Directory, NewName().PadRight(201, 'x'));
        try
        {
            FileSegment.Create(Path.GetFileName(longest), 4096).Map.Dispose();
            Assert.True(File.Exists(longest));
            Assert.Throws<ArgumentException>(() => FileSegment.Create(Path.GetFileName(tooLong), 4096));
            Assert.False(File.Exists(tooLong));
        }
        finally
        {
            File.Delete(longest);
            File.Delete(tooLong);
        }
    }

    [Fact]
    public void TryDeleteSaysWhenAPathCannotBeDeleted()
    {
        Assert.False(FileSegment.TryDelete(Path.Combine(FileSegment.Directory, NewName(), "segment")));
        var directory = Directory.CreateTempSubdirectory("puma-test-");
        try
        {
            Assert.False(FileSegment.TryDelete(directory.FullName));
        }
        finally
        {
            directory.Delete();
        }
    }

    [Fact]
    public void AMemfdThatCannotBeSizedIsClosedAndTheErrorNamesIt()
    {
        var name = NewName();
        var e = Assert.Throws<IOException>(() => Memfd.TryCreateSealed(name, -1));
        Assert.Equal($"ftruncate of memfd '{name}' to -1 bytes failed: errno 22 (Invalid argument).", e.Message);
        Assert.Equal(0, Descriptors(name));
    }

    [Fact]
    public void OnlyASealedMemfdHasSeals()
    {
        using (var memfd = Memfd.TryCreateSealed(NewName(), 4096))
            Assert.Equal(Memfd.RingSeals, Memfd.GetSeals(memfd!) & Memfd.RingSeals);
        var file = Path.GetTempFileName();
        try
        {
            using var handle = File.OpenHandle(file, FileMode.Open, FileAccess.ReadWrite);
            Assert.Equal(0, Memfd.GetSeals(handle));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
