using System.Diagnostics;

namespace Puma.Runtime.Parent;

/// <summary>
/// .NET runtime settings a child process gets unless the parent's environment sets them.
/// </summary>
/// <remarks>
/// <para>
/// <b>Dynamic PGO off (<c>DOTNET_TieredPGO=0</c>).</b> With PGO a hot method of a fresh process runs through an
/// instrumented tier, counting every call and branch, before its final code is compiled; in a child that starts
/// streaming at once, those are the first seconds of its run, and on two cores the background compiler competes with
/// the stages for the CPU. Measured with <c>pipeline --cases small --only puma-processes</c> (three stages in three new
/// children, 2 M items, 2-core VM, 3 runs each): 3.7 M items/s with PGO, 5.5 M without, same start-up time (first
/// reply 103 ms either way). Methods still tier up to fully optimized code; only the profile-guided rewrites
/// (guarded devirtualization) are given up.
/// </para>
/// <para>
/// Set <c>DOTNET_TieredPGO=1</c> in the parent's environment to keep PGO in children (an environment variable wins
/// over the runtimeconfig's <c>System.Runtime.TieredPGO</c>, which the SDK writes into every app's runtimeconfig, so
/// that setting says nothing about what the user chose and is not looked at). <c>DOTNET_TieredCompilation=0</c> there makes children faster still in their
/// first seconds (8.4 M items/s in the run above: every method compiled fully optimized at once, ReadyToRun code
/// never recompiled) at the price of a slower start (first reply 131 ms instead of 103).
/// </para>
/// </remarks>
internal static class ChildRuntimeDefaults
{
    /// <summary>Sets the defaults in <paramref name="startInfo"/>'s environment that the parent left unset.</summary>
    public static void Apply(ProcessStartInfo startInfo)
    {
        if (!IsSet(startInfo, "DOTNET_TieredPGO") && !IsSet(startInfo, "COMPlus_TieredPGO"))
            startInfo.Environment["DOTNET_TieredPGO"] = "0";
    }

    private static bool IsSet(ProcessStartInfo startInfo, string name) =>
        startInfo.Environment.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value);
}
