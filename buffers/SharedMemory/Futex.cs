using System.Runtime.InteropServices;

namespace Puma.Buffers.SharedMemory;

/// <summary>
/// Parking on a 32-bit word of the shared mapping: a Linux futex (not private, so waiters in
/// other processes mapping the same file are woken), elsewhere a short sleep.
/// </summary>
internal static unsafe class Futex
{
    private const int FutexWait = 0;
    private const int FutexWake = 1;

    private static readonly long SysFutex = OperatingSystem.IsLinux()
        ? RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => 202,
            Architecture.Arm64 => 98,
            _ => -1,
        }
        : -1;

    /// <summary>True when real futex parking is available; otherwise waits fall back to sleeping.</summary>
    public static bool IsSupported => SysFutex > 0;

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static extern long Syscall(long number, nint address, long operation, long value, nint timeout, nint address2, long value3);

    /// <summary>Sleeps while <paramref name="word"/> still holds <paramref name="expected"/>, at most <paramref name="timeoutMs"/>.</summary>
    public static void Wait(int* word, int expected, int timeoutMs)
    {
        if (!IsSupported)
        {
            // Stryker disable all : the sleeping fallback of platforms without futex (not Linux x64/arm64); the tests run where futex is used
            if (Volatile.Read(ref *word) == expected) Thread.Sleep(Math.Min(timeoutMs, 1));
            return;
            // Stryker restore all
        }
        Timespec ts;
        ts.Seconds = timeoutMs / 1000;
        ts.Nanoseconds = (timeoutMs % 1000) * 1_000_000L;
        Syscall(SysFutex, (nint)word, FutexWait, expected, (nint)(&ts), 0, 0);
    }

    /// <summary>Wakes every process and thread parked on <paramref name="word"/>.</summary>
    public static void WakeAll(int* word)
    {
        if (IsSupported) Syscall(SysFutex, (nint)word, FutexWake, int.MaxValue, 0, 0, 0);
    }
}
