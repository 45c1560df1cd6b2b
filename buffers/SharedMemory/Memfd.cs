using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Puma.Buffers.SharedMemory;

/// <summary>
/// Linux memfd: an anonymous shared-memory file that lives exactly as long as some process holds a
/// descriptor or a mapping of it, and that can be sealed so that nobody, its creator included, can
/// change its size.
/// </summary>
internal static class Memfd
{
    private const uint CloseOnExec = 0x1;     // MFD_CLOEXEC: children reach it by /proc/<pid>/fd, never by inheritance
    private const uint AllowSealing = 0x2;    // MFD_ALLOW_SEALING
    private const uint NoExecSeal = 0x8;      // MFD_NOEXEC_SEAL (Linux 6.3+; required when vm.memfd_noexec = 2)
    private const int AddSealsCommand = 1033; // F_ADD_SEALS
    private const int GetSealsCommand = 1034; // F_GET_SEALS
    private const int Einval = 22;

    /// <summary>F_SEAL_SEAL: no more seals can be added or removed.</summary>
    public const int SealSeal = 0x1;

    /// <summary>F_SEAL_SHRINK: the file cannot be made smaller (a shrink under a mapping is a SIGBUS in every process that maps it).</summary>
    public const int SealShrink = 0x2;

    /// <summary>F_SEAL_GROW: the file cannot be made larger.</summary>
    public const int SealGrow = 0x4;

    /// <summary>The seals every ring segment carries.</summary>
    public const int RingSeals = SealSeal | SealShrink | SealGrow;

    [DllImport("libc", EntryPoint = "memfd_create", SetLastError = true)]
    private static extern int MemfdCreate([MarshalAs(UnmanagedType.LPUTF8Str)] string name, uint flags);

    [DllImport("libc", EntryPoint = "ftruncate", SetLastError = true)]
    private static extern int Ftruncate(int fd, long length);

    [DllImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static extern int Fcntl(int fd, int command, int argument);

    /// <summary>
    /// Creates a memfd named <paramref name="name"/> of <paramref name="length"/> bytes, mode 0600,
    /// sealed against shrinking, growing and further sealing. Null when memfd is not available here
    /// (not Linux, a kernel before 3.17, or a seccomp filter refusing it): the caller falls back to a file.
    /// </summary>
    /// <exception cref="IOException">The memfd was created but could not be sized or sealed (errno in the message).</exception>
    public static SafeFileHandle? TryCreateSealed(string name, long length)
    {
        if (!OperatingSystem.IsLinux()) return null;
        int fd;
        try
        {
            fd = MemfdCreate(name, CloseOnExec | AllowSealing | NoExecSeal);
            // Stryker disable once all : reached only on kernels before 6.3, which refuse MFD_NOEXEC_SEAL (the tests run on a newer one)
            if (fd < 0 && Marshal.GetLastPInvokeError() == Einval) fd = MemfdCreate(name, CloseOnExec | AllowSealing); // kernel before 6.3
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }
        catch (DllNotFoundException)
        {
            return null;
        }
        if (fd < 0) return null;
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            // Size first, then seal: once sealed the size can never change again.
            if (Ftruncate(fd, length) != 0) throw Failure($"ftruncate of memfd '{name}' to {length} bytes");
            File.SetUnixFileMode(handle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            if (Fcntl(fd, AddSealsCommand, RingSeals) != 0) throw Failure($"sealing memfd '{name}'");
        }
        catch
        {
            handle.Dispose();
            throw;
        }
        return handle;
    }

    /// <summary>The seals of an open memfd (0 for a file that cannot be sealed).</summary>
    public static int GetSeals(SafeFileHandle handle)
    {
        var seals = Fcntl((int)handle.DangerousGetHandle(), GetSealsCommand, 0);
        // Stryker disable once Equality : seals <= 0 gives the same results (0 for 0)
        return seals < 0 ? 0 : seals;
    }

    private static IOException Failure(string what)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{what} failed: errno {errno} ({Marshal.GetPInvokeErrorMessage(errno)}).");
    }
}
