using System.Runtime.InteropServices;
using Puma.Runtime.Parent;

namespace Puma.Runtime.Tests.Parent;

/// <summary>
/// Where the parent looks for the dotnet muxer, the child host and its own runtimeconfig: each case laid out
/// through the locator's parameters (process path, runtime directory, environment, file system).
/// </summary>
public sealed class HostLocatorTests : IDisposable
{
    private const string RuntimeDirectory = "/opt/dn/shared/Microsoft.NETCore.App/10.0.1/";

    private static readonly string ArchitectureVariable = "DOTNET_ROOT_" + RuntimeInformation.ProcessArchitecture.ToString().ToUpperInvariant();

    private readonly string _directory = Directory.CreateTempSubdirectory("puma-hostlocator-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("/usr/bin/dotnet")]
    [InlineData("/usr/bin/DOTNET")]
    public void AProcessThatIsDotnetItselfIsTheMuxerWithoutLookingFurther(string process)
    {
        var probed = new List<string>();
        var muxer = HostLocator.FindMuxer(process, RuntimeDirectory, _ => "/env", Probe(probed, _ => true));

        Assert.Equal(process, muxer);
        Assert.Empty(probed);
    }

    [Fact]
    public void AnApphostIsNotTheMuxerTheRuntimesRootIsTriedFirst()
    {
        var probed = new List<string>();
        var muxer = HostLocator.FindMuxer("/app/myapp", RuntimeDirectory, _ => null, Probe(probed, _ => true));

        Assert.Equal("/opt/dn/dotnet", muxer);
        Assert.Equal(["/opt/dn/dotnet"], probed);
    }

    [Fact]
    public void TheCandidatesAreTheRuntimesRootThenDotnetRootVariablesThenPathInThatOrder()
    {
        var environment = new Dictionary<string, string>
        {
            [ArchitectureVariable] = "/arch",
            ["DOTNET_ROOT"] = "/root",
            ["DOTNET_ROOT(x86)"] = "/x86",
            ["PATH"] = "/p1::/p2",
        };
        var probed = new List<string>();

        var e = Assert.Throws<FileNotFoundException>(() =>
            HostLocator.FindMuxer(null, RuntimeDirectory, name => environment.GetValueOrDefault(name), Probe(probed, _ => false)));

        Assert.Equal(["/opt/dn/dotnet", "/arch/dotnet", "/root/dotnet", "/x86/dotnet", "/p1/dotnet", "/p2/dotnet"], probed);
        Assert.Equal(
            $"Cannot find the 'dotnet' executable to start a child process (looked beside the runtime in {RuntimeDirectory}, in DOTNET_ROOT and in PATH). " +
            "Process placement needs a framework-dependent .NET installation.",
            e.Message);
    }

    [Fact]
    public void TheFirstExistingCandidateWinsAsAFullPath()
    {
        var environment = new Dictionary<string, string> { ["DOTNET_ROOT"] = "relative/root", ["PATH"] = "/p1" };

        var muxer = HostLocator.FindMuxer(null, RuntimeDirectory, name => environment.GetValueOrDefault(name), c => c != "/opt/dn/dotnet");

        Assert.Equal(Path.GetFullPath("relative/root/dotnet"), muxer);
    }

    [Fact]
    public void ARuntimeDirectoryWithoutThreeParentsAddsNoCandidateAndEmptyVariablesAreSkipped()
    {
        var environment = new Dictionary<string, string> { ["DOTNET_ROOT"] = "", ["PATH"] = "/p1" };
        var probed = new List<string>();

        Assert.Throws<FileNotFoundException>(() =>
            HostLocator.FindMuxer(null, "/a/b/", name => environment.GetValueOrDefault(name), Probe(probed, _ => false)));

        Assert.Equal(["/p1/dotnet"], probed);
    }

    [Fact]
    public void TheRealMuxerIsTheDotnetRunningTheTests()
    {
        Assert.True(File.Exists(HostLocator.DotnetPath));
        Assert.Equal("dotnet", Path.GetFileName(HostLocator.DotnetPath));
    }

    [Fact]
    public void TheHostBesidePumaRuntimeWinsOverTheBaseDirectory()
    {
        var probed = new List<string>();

        var host = HostLocator.FindHost("/lib/Puma.Runtime.dll", "/base/", Probe(probed, _ => true));

        Assert.Equal("/lib/Puma.Runtime.Host.dll", host);
        Assert.Equal(["/lib/Puma.Runtime.Host.dll"], probed);
    }

    [Fact]
    public void TheBaseDirectoryIsTheFallbackAndTheOnlyPlaceWithoutAnAssemblyLocation()
    {
        Assert.Equal("/base/Puma.Runtime.Host.dll", HostLocator.FindHost("/lib/Puma.Runtime.dll", "/base/", c => c.StartsWith("/base/", StringComparison.Ordinal)));

        var probed = new List<string>();
        Assert.Equal("/base/Puma.Runtime.Host.dll", HostLocator.FindHost("", "/base/", Probe(probed, _ => true)));
        Assert.Equal(["/base/Puma.Runtime.Host.dll"], probed);
    }

    [Fact]
    public void AMissingHostNamesEveryDirectoryLookedInOnce()
    {
        var e = Assert.Throws<FileNotFoundException>(() => HostLocator.FindHost("/lib/Puma.Runtime.dll", "/base/", _ => false));
        Assert.Equal(
            "Cannot find Puma.Runtime.Host.dll (looked in /lib and /base). " +
            "The build copies it beside Puma.Runtime.dll; single-file publishing is not supported with process placement.",
            e.Message);
        Assert.Equal("Puma.Runtime.Host.dll", e.FileName);

        var same = Assert.Throws<FileNotFoundException>(() => HostLocator.FindHost("/lib/Puma.Runtime.dll", "/lib/", _ => false));
        Assert.StartsWith("Cannot find Puma.Runtime.Host.dll (looked in /lib). ", same.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheRealHostIsBesidePumaRuntime()
    {
        var beside = Path.Combine(Path.GetDirectoryName(typeof(HostLocator).Assembly.Location)!, HostLocator.HostFileName);
        Assert.Equal(beside, HostLocator.HostPath);
    }

    [Theory]
    [InlineData("""{"runtimeOptions":{"tfm":"net10.0","framework":{"name":"Microsoft.NETCore.App","version":"10.0.0"}}}""")]
    [InlineData("""{"runtimeOptions":{"tfm":"net10.0","frameworks":[{"name":"Microsoft.AspNetCore.App","version":"10.0.0"}]}}""")]
    public void AFrameworkDependentEntryAssemblysRuntimeConfigIsUsed(string json)
    {
        var entry = WriteApp(json);
        Assert.Equal(Path.Combine(_directory, "app.runtimeconfig.json"), HostLocator.FindParentRuntimeConfig(entry));
    }

    [Theory]
    [InlineData("""{"runtimeOptions":{"tfm":"net10.0","includedFrameworks":[{"name":"Microsoft.NETCore.App","version":"10.0.0"}]}}""")]
    [InlineData("""{"configProperties":{}}""")]
    [InlineData("""{"runtimeOptions": """)]
    public void ASelfContainedMissingOrBrokenRuntimeConfigIsNotUsed(string json)
    {
        var entry = WriteApp(json);
        Assert.Null(HostLocator.FindParentRuntimeConfig(entry));
    }

    [Fact]
    public void NoEntryAssemblyOrNoRuntimeConfigMeansNone()
    {
        Assert.Null(HostLocator.FindParentRuntimeConfig(null));
        Assert.Null(HostLocator.FindParentRuntimeConfig(""));
        Assert.Null(HostLocator.FindParentRuntimeConfig(Path.Combine(_directory, "absent.dll")));
    }

    private string WriteApp(string runtimeConfig)
    {
        var entry = Path.Combine(_directory, "app.dll");
        File.WriteAllText(entry, "");
        File.WriteAllText(Path.Combine(_directory, "app.runtimeconfig.json"), runtimeConfig);
        return entry;
    }

    private static Func<string, bool> Probe(List<string> probed, Func<string, bool> exists) => candidate =>
    {
        probed.Add(candidate);
        return exists(candidate);
    };
}
