using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Puma.Buffers.SharedMemory;

namespace Puma.Buffers.Tests.SharedMemory;

/// <summary>
/// Attaching by a sealed segment's name (Linux): names that are not <c>puma-HEX@PID.FD</c>, a
/// creator that is gone, a descriptor that now opens something else, and a memfd without the seals.
/// </summary>
public sealed class SealedSegmentAttachTests
{
    private const string Hex = "0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("@1.2")]
    [InlineData("puma-" + Hex + "@0.3")]
    [InlineData("puma-" + Hex + "@.3")]
    [InlineData("puma-" + Hex + "@12")]
    public void NamesThatAreNotSealedSegmentNamesAreRejectedAsArguments(string name)
    {
        if (!OperatingSystem.IsLinux()) return; // the sealed form is Linux-only
        var error = Assert.Throws<ArgumentException>(() => SharedMemoryRing.Attach(name));
        Assert.StartsWith($"Ring name '{name}' is neither a sealed segment name 'puma-<32 hex digits>@<pid>.<fd>' (Linux) nor a file name", error.Message);
    }

    [Fact]
    public void ASegmentWhoseCreatorIsGoneIsNotFound()
    {
        if (!OperatingSystem.IsLinux()) return; // memfd is Linux-only
        var name = $"puma-{Hex}@{int.MaxValue - 5}.3";
        var error = Assert.Throws<FileNotFoundException>(() => SharedMemoryRing.Attach(name));
        Assert.Equal($"Ring '{name}' is gone: process {int.MaxValue - 5} has exited or no longer holds descriptor 3.", error.Message);
    }

    [Fact]
    public void ADescriptorThatOpensAnotherFileIsNotFoundAndNamesWhatItOpens()
    {
        if (!OperatingSystem.IsLinux()) return; // memfd is Linux-only
        var path = Path.GetTempFileName();
        try
        {
            using var other = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
            var fd = (int)other.DangerousGetHandle();
            var target = new FileInfo($"/proc/self/fd/{fd}").LinkTarget;
            var name = $"puma-{Hex}@{Environment.ProcessId}.{fd}";
            var error = Assert.Throws<FileNotFoundException>(() => SharedMemoryRing.Attach(name));
            Assert.Equal($"Ring '{name}' is gone: descriptor {fd} of process {Environment.ProcessId} now opens '{target}', not the ring's memfd '/memfd:puma-{Hex} (deleted)'.", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AnUnsealedMemfdIsRefusedAndItsDescriptorClosed()
    {
        if (!OperatingSystem.IsLinux()) return; // memfd is Linux-only
        var segment = RingSegment.NewName();
        var fd = MemfdCreate(segment, 0x1 | 0x2); // MFD_CLOEXEC | MFD_ALLOW_SEALING, no seal added
        Assert.True(fd >= 0, $"memfd_create failed: errno {Marshal.GetLastPInvokeError()}");
        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        var name = $"{segment}@{Environment.ProcessId}.{fd}";
        var error = Assert.Throws<BufferCorruptedException>(() => SharedMemoryRing.Attach(name));
        Assert.Equal($"Ring '{name}': memfd seals 0x0 lack shrink, grow and seal (0x7), so it could be resized under the ring.", error.Message);
        Assert.Equal(1, DescriptorsOf(segment)); // only the test's own
    }

    private static int DescriptorsOf(string segment) =>
        Directory.EnumerateFileSystemEntries("/proc/self/fd").Count(fd =>
        {
            try
            {
                return new FileInfo(fd).LinkTarget == $"/memfd:{segment} (deleted)";
            }
            catch (IOException)
            {
                return false;
            }
        });

    [DllImport("libc", EntryPoint = "memfd_create", SetLastError = true)]
    private static extern int MemfdCreate([MarshalAs(UnmanagedType.LPUTF8Str)] string name, uint flags);
}
