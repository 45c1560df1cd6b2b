namespace Puma.Packaging.Tests;

/// <summary>
/// A fresh folder outside the repository, deleted on dispose. Empty Directory.Build.props/.targets at its
/// root stop MSBuild from importing any found further up, so what is built there sees only the packages.
/// </summary>
internal sealed class TempWorkspace : IDisposable
{
    private TempWorkspace(string root) => Root = root;

    /// <summary>The folder.</summary>
    public string Root { get; }

    /// <summary>Creates the folder under the system's temporary directory.</summary>
    public static TempWorkspace Create()
    {
        var root = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "puma-packaging-" + Guid.NewGuid().ToString("N")[..12])).FullName;
        File.WriteAllText(Path.Combine(root, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(root, "Directory.Build.targets"), "<Project />\n");
        return new TempWorkspace(root);
    }

    /// <summary>A folder inside the workspace, created.</summary>
    public string Folder(string name) => Directory.CreateDirectory(Path.Combine(Root, name)).FullName;

    /// <summary>Deletes the whole workspace.</summary>
    public void Dispose()
    {
        if (Directory.Exists(Root))
            Directory.Delete(Root, recursive: true);
    }
}
