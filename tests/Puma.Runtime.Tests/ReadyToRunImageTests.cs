using System.Reflection;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;

namespace Puma.Runtime.Tests;

/// <summary>
/// A Release build on Linux x64 puts ReadyToRun images of Puma's assemblies and of the child host in the build
/// output (Directory.Build.targets), so a child process starts on precompiled code.
/// </summary>
public sealed class ReadyToRunImageTests
{
    [Theory]
    [InlineData("Puma.Buffers.dll")]
    [InlineData("Puma.Logging.dll")]
    [InlineData("Puma.Runnables.dll")]
    [InlineData("Puma.Runtime.dll")]
    [InlineData("Puma.Runtime.Host.dll")]
    public void TheReleaseOutputHoldsReadyToRunImages(string fileName)
    {
        var path = Path.Combine(AppContext.BaseDirectory, fileName);
        using var reader = new PEReader(File.OpenRead(path));
        var cor = reader.PEHeaders.CorHeader!;
        var configuration = typeof(PumaRuntime).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration;
        var expected = configuration == "Release" && OperatingSystem.IsLinux() && RuntimeInformation.OSArchitecture == Architecture.X64;

        // Elsewhere (Debug, another OS or architecture) the build leaves plain IL, which is just as valid.
        Assert.Equal(expected, cor.ManagedNativeHeaderDirectory.Size > 0);
        // The IL stays AnyCPU: neither 32-bit-required nor tied to x64 by the runtime identifier the compile uses.
        Assert.Equal(0, (int)(cor.Flags & CorFlags.Requires32Bit));
        Assert.True(cor.MetadataDirectory.Size > 0);
    }
}
