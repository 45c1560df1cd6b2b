using System.Runtime.InteropServices;

namespace Puma.Runtime.Map;

/// <summary>
/// Maps every page of a shared array in this process at once, writable, when a worker process attaches it. A worker
/// touches only the chunks it claims, and claims other chunks in every map, so without this it would take page faults
/// in map after map until it had touched the whole array; with it, it pays once, in one system call.
/// </summary>
internal static unsafe partial class PagePopulator
{
    private const int MadvisePopulateWrite = 23; // MADV_POPULATE_WRITE, Linux 5.14+

    /// <summary>Populates the page tables for <paramref name="length"/> bytes from <paramref name="address"/>; best effort.</summary>
    public static void Populate(byte* address, long length)
    {
        if (length <= 0)
            return;
        var page = Environment.SystemPageSize;
        var start = (byte*)((nuint)address & ~(nuint)(page - 1));
        var end = address + length;
        if (OperatingSystem.IsLinux() && Madvise(start, (nuint)(end - start), MadvisePopulateWrite) == 0)
            return;

        // An older kernel: a write fault on each page, by an atomic add of nothing, which a concurrent writer cannot lose.
        for (var p = start; p < end; p += page)
            Interlocked.Or(ref *(int*)p, 0);
    }

    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
    private static partial int Madvise(void* address, nuint length, int advice);
}
