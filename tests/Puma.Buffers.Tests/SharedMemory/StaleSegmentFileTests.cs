using Puma.Buffers.SharedMemory;
using static Puma.Buffers.Tests.SharedMemory.RingTestShared;

namespace Puma.Buffers.Tests.SharedMemory;

/// <summary>Tests that create file segments run after the parallel ones: creating one removes stale files, other tests' planted ones included.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FileSegmentCollection
{
    public const string Name = "file segments";
}

/// <summary>
/// File segments (an explicit name): a second dispose of a ring, and the removal of stale segment
/// files (counted, still open elsewhere, of another layout, and before a file segment is created).
/// </summary>
[Collection(FileSegmentCollection.Name)]
public sealed class StaleSegmentFileTests
{
    [Fact]
    public void ASecondDisposeLeavesAFileOfTheSameNameCreatedMeanwhile()
    {
        var options = new SharedMemoryRingOptions { CapacityBytes = 4096, Name = "puma-test-" + Guid.NewGuid().ToString("N") };
        var first = SharedMemoryRing.Create(options);
        first.Dispose();
        using var second = SharedMemoryRing.Create(options);
        first.Dispose();
        Assert.True(File.Exists(second.FilePath));
    }

    [Fact]
    public void CreatingAFileSegmentRemovesStaleOnesFirst()
    {
        var stale = PlantStale(out var template);
        try
        {
            using var ring = SharedMemoryRing.Create(new SharedMemoryRingOptions { CapacityBytes = 4096, Name = "puma-test-" + Guid.NewGuid().ToString("N") });
            Assert.False(File.Exists(stale));
        }
        finally
        {
            File.Delete(stale);
            template.Dispose();
        }
    }

    [Fact]
    public void RemoveStaleCountsOnlyTheFilesItRemoved()
    {
        // Other tests (and other test runs) may remove the planted file first, so the count is
        // bounded by the stale files there were, not equal to one; the live files (five templates
        // here) are never counted.
        var templates = new List<SharedMemoryRing>();
        var planted = PlantStale(out var first);
        templates.Add(first);
        try
        {
            for (var i = 0; i < 4; i++) templates.Add(SharedMemoryRing.Create(new SharedMemoryRingOptions { CapacityBytes = 4096, Name = "puma-test-" + Guid.NewGuid().ToString("N") }));
            var stale = Directory.EnumerateFiles(FileSegment.Directory, "puma-*").Count(LooksStale);
            var removed = SharedMemoryRing.RemoveStale();
            Assert.False(File.Exists(planted));
            Assert.InRange(removed, 0, stale);
            Assert.All(templates, ring => Assert.True(File.Exists(ring.FilePath)));
        }
        finally
        {
            File.Delete(planted);
            templates.ForEach(ring => ring.Dispose());
        }
    }

    [Fact]
    public void AStaleFileStillOpenElsewhereIsRemoved()
    {
        var stale = PlantStale(out var template);
        try
        {
            using (new FileStream(stale, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete))
            {
                SharedMemoryRing.RemoveStale();
                Assert.False(File.Exists(stale));
            }
        }
        finally
        {
            File.Delete(stale);
            template.Dispose();
        }
    }

    [Theory]
    [InlineData(RingLayout.MagicOffset)]
    [InlineData(RingLayout.VersionOffset)]
    public void AFileWhoseHeaderIsNotThisLayoutIsLeftAlone(int offset)
    {
        var file = PlantStale(out var template);
        try
        {
            using (var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite))
            {
                stream.Position = offset;
                stream.Write(BitConverter.GetBytes(RingLayout.Version + 1));
            }
            SharedMemoryRing.RemoveStale();
            Assert.True(File.Exists(file));
        }
        finally
        {
            File.Delete(file);
            template.Dispose();
        }
    }

    /// <summary>A copy of a live file segment whose header names a dead creator.</summary>
    private static string PlantStale(out SharedMemoryRing template)
    {
        template = SharedMemoryRing.Create(new SharedMemoryRingOptions { CapacityBytes = 4096, Name = "puma-test-" + Guid.NewGuid().ToString("N") });
        var copy = Path.Combine(FileSegment.Directory, "puma-" + Guid.NewGuid().ToString("N"));
        File.Copy(template.FilePath, copy);
        using var file = new FileStream(copy, FileMode.Open, FileAccess.ReadWrite);
        file.Position = RingLayout.CreatorPidOffset;
        file.Write(BitConverter.GetBytes(DeadPid));
        return copy;
    }

    /// <summary>What <see cref="SharedMemoryRing.RemoveStale"/> removes: a header line of this layout naming a dead creator, or no header line for over a minute.</summary>
    private static bool LooksStale(string file)
    {
        try
        {
            var header = new byte[RingLayout.LineBytes];
            using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            {
                if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length)
                    return DateTime.UtcNow - File.GetLastWriteTimeUtc(file) > TimeSpan.FromMinutes(1);
            }
            return BitConverter.ToUInt64(header, RingLayout.MagicOffset) == RingLayout.Magic
                && BitConverter.ToInt32(header, RingLayout.VersionOffset) == RingLayout.Version
                && !ProcessLiveness.IsAlive(BitConverter.ToInt32(header, RingLayout.CreatorPidOffset));
        }
        catch (IOException)
        {
            return false;
        }
    }
}
