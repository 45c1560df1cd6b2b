using System.Text.Json;

namespace Puma.Buffers.Tests.Shared;

/// <summary>Helpers of the shared object tests: the JSON round trip a runnable's property makes, and the /dev/shm check.</summary>
internal static class SharedTestSupport
{
    /// <summary>What a child process gets for <paramref name="value"/>: it serialized and read back.</summary>
    public static T CopyAsInAChild<T>(T value) => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(value))!;

    /// <summary>The segment files in /dev/shm (the temp directory elsewhere) whose name starts with "puma-".</summary>
    public static string[] PumaSegmentFiles()
    {
        var directory = OperatingSystem.IsLinux() ? "/dev/shm" : Path.GetTempPath();
        return Directory.EnumerateFiles(directory, "puma-*").Order(StringComparer.Ordinal).ToArray();
    }
}
