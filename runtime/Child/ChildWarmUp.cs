using System.Text.Json;

namespace Puma.Runtime.Child;

/// <summary>
/// Loads System.Text.Json on a second thread while the child connects, so that reading the Start frame's configuration
/// (a <see cref="JsonDocument"/>) finds the library ready.
/// </summary>
/// <remarks>
/// <para>
/// In a fresh process the first <see cref="JsonDocument"/> costs 10-14 ms on the 2-core machine (loading the library,
/// its static tables, a few methods compiled), and every child parses one on its way to its first reply. The main
/// thread spends that time connecting and then waiting for the parent's Start frame, which this thread overlaps:
/// `startup` first-reply of a process runnable, six alternating runs of 15 starts each, median 99 ms without, 88 ms
/// with.
/// </para>
/// <para>
/// Warming the serializer too (a record through <see cref="JsonSerializer"/>, 15-20 ms more) was measured and left
/// out: 90 ms, no better, because it was still running when the first request came and both fought over the same
/// work; values that are numbers, strings or markers skip the serializer instead (<see cref="Wire.JsonShortcuts"/>).
/// Errors are ignored: the real use reports its own.
/// </para>
/// </remarks>
internal static class ChildWarmUp
{
    /// <summary>Starts the warm-up on a background thread and returns at once.</summary>
    public static void Start() =>
        new Thread(Run) { IsBackground = true, Name = "Puma warm-up" }.Start();

    private static void Run()
    {
        try
        {
            using (JsonDocument.Parse("""{"Name":"warm-up","Count":1}"""))
            {
            }
        }
        catch (Exception)
        {
            // Only a warm-up: the first real use reports its own error.
        }
    }
}
