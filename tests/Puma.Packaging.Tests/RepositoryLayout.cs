namespace Puma.Packaging.Tests;

/// <summary>The repository this test was built from (the folder holding Puma.sln) and the configuration it was built in.</summary>
internal sealed record RepositoryLayout(string Root, string Configuration)
{
    /// <summary>Puma.sln.</summary>
    public string Solution => Path.Combine(Root, "Puma.sln");

    /// <summary>The consumer app's source folder.</summary>
    public string ConsumerAppSource => Path.Combine(Root, "tests", "Puma.Packaging.Tests", "ConsumerApp");

    /// <summary>Walks up from the test assembly (tests/Puma.Packaging.Tests/bin/&lt;Configuration&gt;/&lt;tfm&gt;/) to Puma.sln.</summary>
    public static RepositoryLayout OfThisTest()
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = here.Parent?.Name ?? throw new DirectoryNotFoundException($"No configuration folder above {here.FullName}.");
        var root = here;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Puma.sln")))
            root = root.Parent;
        return root is null
            ? throw new DirectoryNotFoundException($"No Puma.sln above {AppContext.BaseDirectory}.")
            : new RepositoryLayout(root.FullName, configuration);
    }
}
