using System.Reflection;
using System.Reflection.Emit;
using System.Text;
using System.Text.Json;
using Puma.Runtime.Child;
using Puma.Runtime.Wire;

namespace Puma.Runtime.Tests.Wire;

/// <summary>
/// How a child finds types and methods without parsing their names: metadata references for the host's entry point
/// and the runnable type, and the command and request types registered by name before the first frame.
/// </summary>
public sealed class MetadataReferenceTests
{
    public sealed class Nested;

    public sealed class Generic<T>;

    [Fact]
    public void AReferenceNamesTheTypeInItsOwnAssemblyAndComesBackFromItsText()
    {
        var reference = MetadataReference.Of(typeof(Nested))!.Value;
        Assert.Equal(typeof(Nested).Module.ModuleVersionId, reference.ModuleVersionId);
        Assert.Equal(typeof(Nested).MetadataToken, reference.Token);

        var text = reference.ToString();
        Assert.Equal($"{typeof(Nested).Module.ModuleVersionId:N}:{typeof(Nested).MetadataToken:x8}", text);
        Assert.True(MetadataReference.TryParse(text, out var parsed));
        Assert.Equal(reference, parsed);
        Assert.Same(typeof(Nested), parsed.ResolveType(typeof(Nested).Assembly));
    }

    [Fact]
    public void AReferenceIntoAnotherFileResolvesToNothing()
    {
        var reference = MetadataReference.Of(typeof(Nested))!.Value with { ModuleVersionId = Guid.NewGuid() };
        Assert.Null(reference.ResolveType(typeof(Nested).Assembly));
        Assert.Null(MetadataReference.Of(typeof(Nested))!.Value.ResolveType(typeof(JsonDocument).Assembly));
    }

    [Fact]
    public void TypesATokenCannotNameHaveNoReference()
    {
        Assert.Null(MetadataReference.Of(typeof(Generic<int>)));
        Assert.Null(MetadataReference.Of(typeof(Generic<>)));
        Assert.Null(MetadataReference.Of(typeof(Nested[])));
        Assert.Null(MetadataReference.Of(typeof(Generic<>).GetGenericArguments()[0]));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0123456789abcdef0123456789abcdef02000001")]    // no colon: 40 characters
    [InlineData("0123456789abcdef0123456789abcdef;02000001")]   // not a colon
    [InlineData("0123456789abcdef0123456789abcdeg:02000001")]   // not hex in the id
    [InlineData("0123456789abcdef0123456789abcdef:0200000x")]   // not hex in the token
    public void MalformedTextIsRefused(string? text) => Assert.False(MetadataReference.TryParse(text, out _));

    [Fact]
    public void TheChildHostsEntryReferenceNamesChildHostMain()
    {
        Assert.True(MetadataReference.TryParse(ChildHost.EntryReference, out var entry));
        var method = typeof(ChildHost).Assembly.ManifestModule.ResolveMethod(entry.Token);
        Assert.Equal((typeof(ChildHost), "Main"), (method!.DeclaringType, method.Name));
    }

    [Fact]
    public void TheLoaderTakesTheTypeByItsReferenceAndByItsNameWhenTheReferenceNamesAnotherType()
    {
        var location = typeof(Nested).Assembly.Location;
        var assemblyName = typeof(Nested).Assembly.FullName;
        var reference = MetadataReference.Of(typeof(Nested))!.Value.ToString();
        Assert.Same(typeof(Nested), ChildAssemblyLoader.LoadType(location, typeof(Nested).FullName!, null, assemblyName, reference));

        // A reference that names another type than the name: the name wins.
        var other = MetadataReference.Of(typeof(MetadataReferenceTests))!.Value.ToString();
        Assert.Same(typeof(Nested), ChildAssemblyLoader.LoadType(location, typeof(Nested).FullName!, null, assemblyName, other));
        Assert.Same(typeof(Nested), ChildAssemblyLoader.LoadType(location, typeof(Nested).FullName!, null, assemblyName, "not a reference"));
    }

    [Fact]
    public void AStartFrameCarriesTheAssemblyNameAndTheTypeReference()
    {
        var start = ChildStartMessage.For(new Nested(), "nested", (_, _) => throw new InvalidOperationException("no ports"));
        Assert.Equal(typeof(Nested).Assembly.FullName, start.AssemblyName);
        Assert.Equal(MetadataReference.Of(typeof(Nested))!.Value.ToString(), start.TypeReference);

        var read = StartFrame.Read(StartFrame.Create(start));
        Assert.Equal((start.AssemblyName, start.TypeReference, start.TypeName), (read.AssemblyName, read.TypeReference, read.TypeName));

        var bare = StartFrame.Read(StartFrame.Create(start with { AssemblyName = null, TypeReference = null }));
        Assert.Equal((null, null), (bare.AssemblyName, bare.TypeReference));
    }

    [Fact]
    public void ARegisteredTypeIsFoundByItsNameEvenWhereTheNameCannotBeLoaded()
    {
        // A type of a dynamic assembly: Type.GetType cannot load it by its name.
        var assembly = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName("Puma.Tests.Dynamic" + Guid.NewGuid().ToString("N")), AssemblyBuilderAccess.Run);
        var type = assembly.DefineDynamicModule("m").DefineType("Dynamic.Request", TypeAttributes.Public | TypeAttributes.Sealed).CreateType();
        var name = Encoding.UTF8.GetBytes(type.AssemblyQualifiedName!);
        Assert.Null(WireTypes.Resolve(name));

        WireTypes.Register(type);
        Assert.Same(type, WireTypes.Resolve(name));
    }
}
