using System.Runtime.InteropServices;

namespace Puma.Bench.Pipeline;

/// <summary>Named pipes (FIFOs) for the pipes baseline: <c>mkfifo(3)</c>, mode 0600.</summary>
internal static partial class Fifo
{
    [LibraryImport("libc", EntryPoint = "mkfifo", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int MkFifo(string path, uint mode);

    /// <summary>Creates a FIFO at <paramref name="path"/>; throws with errno on failure.</summary>
    public static void Create(string path)
    {
        if (MkFifo(path, Convert.ToUInt32("600", 8)) != 0)
            throw new IOException($"mkfifo {path} failed: errno {Marshal.GetLastPInvokeError()}");
    }
}
