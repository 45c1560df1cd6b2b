using System.Security;

namespace Puma.Packaging.Tests;

/// <summary>
/// The consumer app written into a workspace: ConsumerApp/Program.cs, a project whose only reference is the
/// Puma.Runtime package, and a NuGet.config whose sources are the folder of packages under test, the machine's
/// global packages folder (so dependencies restore without a download when they are there) and, since it does
/// not clear them, the machine's configured sources.
/// </summary>
internal sealed class ConsumerApp
{
    /// <summary>The app's name: Consumer.dll.</summary>
    public const string Name = "Consumer";

    private ConsumerApp(string folder) => Folder = folder;

    /// <summary>The project folder.</summary>
    public string Folder { get; }

    /// <summary>Consumer.csproj.</summary>
    public string Project => Path.Combine(Folder, Name + ".csproj");

    /// <summary>The build output of <paramref name="configuration"/>.</summary>
    public string Output(string configuration) => Path.Combine(Folder, "bin", configuration, "net10.0");

    /// <summary>Writes the app into <paramref name="workspace"/>/app and its NuGet.config into the workspace root.</summary>
    public static ConsumerApp Write(TempWorkspace workspace, string sourceFolder, string pumaVersion, string packageFeed, string packagesFolder)
    {
        var app = new ConsumerApp(workspace.Folder("app"));
        File.Copy(Path.Combine(sourceFolder, "Program.cs"), Path.Combine(app.Folder, "Program.cs"));
        File.WriteAllText(app.Project, $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Puma.Runtime" Version="{pumaVersion}" />
              </ItemGroup>
            </Project>

            """);

        var sources = $"""    <add key="puma-under-test" value="{Escape(packageFeed)}" />""";
        if (MachinePackagesFolder() is { } machinePackages)
            sources += $"""{Environment.NewLine}    <add key="machine-global-packages" value="{Escape(machinePackages)}" />""";
        File.WriteAllText(Path.Combine(workspace.Root, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{Escape(packagesFolder)}" />
              </config>
              <packageSources>
            {sources}
              </packageSources>
            </configuration>

            """);
        return app;
    }

    /// <summary>The machine's global packages folder (NUGET_PACKAGES, else ~/.nuget/packages) when it exists.</summary>
    private static string? MachinePackagesFolder()
    {
        var folder = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return Directory.Exists(folder) ? Path.GetFullPath(folder) : null;
    }

    private static string Escape(string value) => SecurityElement.Escape(value);
}
