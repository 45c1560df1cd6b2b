using System.Globalization;
using Puma.Runtime.Parent;

namespace Puma.Runtime.Cluster.Node;

/// <summary>
/// Where a node agent's children keep their temporary files (their runtime's diagnostics socket and debugger pipes):
/// a directory of the agent's own, <c>TMPDIR/puma-node-PID-START/NODE</c>, given to each child as its <c>TMPDIR</c>.
/// </summary>
/// <remarks>
/// A child killed while its agent lives is cleaned up by the agent, as any child process is; but when the agent itself
/// is killed (<c>kill -9</c>, a crash) its children die with it (<c>PR_SET_PDEATHSIG</c>) and nobody is left to remove
/// their files. With every child's files under one directory named after the agent's process (pid and start time, so
/// a later process with the same pid never matches), whoever started the agent (<see cref="PumaNodeProcess"/>) removes
/// that directory once it sees the agent killed. A node that stops normally removes its own.
/// </remarks>
internal static class NodeTempDirectory
{
    /// <summary>The directory of every node hosted by the process whose runtime files are <paramref name="files"/> (its pid and start time name it).</summary>
    public static string RootOf(RuntimeIpcFiles files) =>
        Path.Combine(files.TempDirectory, $"puma-node-{files.Pid.ToString(CultureInfo.InvariantCulture)}-{files.Key}");

    /// <summary>Creates a directory for one node of this process (owner-only), or returns null where that is not possible.</summary>
    public static string? Create()
    {
        if (!OperatingSystem.IsLinux() || RuntimeIpcFiles.Of(Environment.ProcessId) is not { } files)
            return null;
        var root = RootOf(files);
        try
        {
            var node = Path.Combine(root, Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(node, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            return node;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // the children then use the usual temporary directory
        }
    }

    /// <summary>Removes a node's directory, and its process's directory once no other node uses it; best effort.</summary>
    public static void Remove(string? node)
    {
        if (node is null)
            return;
        Delete(node);
        var root = Path.GetDirectoryName(node);
        try
        {
            if (root is not null && Directory.Exists(root) && !Directory.EnumerateFileSystemEntries(root).Any())
                Directory.Delete(root);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Another node of this process is starting or stopping: the last one removes it.
        }
    }

    /// <summary>Removes a directory and everything in it; best effort, never throws.</summary>
    public static void Delete(string? directory)
    {
        try
        {
            if (directory is not null && Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort.
        }
    }
}
