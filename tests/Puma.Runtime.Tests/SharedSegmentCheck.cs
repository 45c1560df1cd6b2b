using System.Text.Json;

namespace Puma.Runtime.Tests;

/// <summary>A shared object's segment name, for <see cref="Puma.Tests.Common.MemfdProbe.HoldsMemfd"/>.</summary>
internal static class SharedSegmentCheck
{
    /// <summary>The segment name in <paramref name="sharedObject"/>'s JSON (what a child process gets).</summary>
    public static string SegmentOf<T>(T sharedObject)
    {
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(sharedObject));
        return json.RootElement.GetProperty("segment").GetString()!;
    }
}
