using System.Runtime.InteropServices;
using Puma.Runtime.Parent;

namespace Puma.Runtime.Child;

/// <summary>
/// Linux: makes the kernel SIGKILL this (child) process when its parent dies, with
/// <c>prctl(PR_SET_PDEATHSIG, SIGKILL)</c>. It must be armed by the child itself (.NET gives no hook between
/// fork and exec), so there is a window before it is armed: <see cref="Arm"/> closes it by checking that the
/// parent is still the expected process afterwards. The parent forks children from a dedicated thread
/// (<see cref="ProcessSpawner"/>) because the signal fires when the forking thread exits.
/// </summary>
internal static partial class ParentDeathSignal
{
    private const int PrSetPdeathsig = 1;
    private const int Sigkill = 9;

    /// <summary>
    /// Arms the parent-death signal on Linux and returns false when the parent (<paramref name="expectedParentPid"/>)
    /// is already gone; the caller should exit then. Elsewhere returns true and does nothing (the control channel's
    /// end of file still ends the child).
    /// </summary>
    public static bool Arm(int expectedParentPid)
    {
        if (!OperatingSystem.IsLinux())
            return true;

        if (Prctl(PrSetPdeathsig, Sigkill, 0, 0, 0) != 0)
        {
            // Not fatal: the control channel still ends the child.
            return true;
        }

        return expectedParentPid <= 0 || GetParentPid() == expectedParentPid;
    }

    [LibraryImport("libc", EntryPoint = "prctl", SetLastError = true)]
    private static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport("libc", EntryPoint = "getppid")]
    private static partial int GetParentPid();
}
