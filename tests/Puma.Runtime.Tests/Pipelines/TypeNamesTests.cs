using Puma.Runtime.Pipelines;
using Puma.Runtime.Tests.Runnables;

namespace Puma.Runtime.Tests.Pipelines;

/// <summary>Type names in a spec have no version and resolve back to the same type.</summary>
public class TypeNamesTests
{
    public static TheoryData<Type, string> Names => new()
    {
        { typeof(int), "System.Int32" },
        { typeof(byte[]), "System.Byte[]" },
        { typeof(float[,]), "System.Single[,]" },
        { typeof(Frame), "Puma.Runtime.Tests.Runnables.Frame, Puma.Runtime.Tests" },
        { typeof(Frame[]), "Puma.Runtime.Tests.Runnables.Frame[], Puma.Runtime.Tests" },
        { typeof(ReadOnlyMemory<byte>), "System.ReadOnlyMemory`1[[System.Byte]]" },
        { typeof(List<Frame>), "System.Collections.Generic.List`1[[Puma.Runtime.Tests.Runnables.Frame, Puma.Runtime.Tests]]" },
        { typeof(Dictionary<string, Frame[]>), "System.Collections.Generic.Dictionary`2[[System.String],[Puma.Runtime.Tests.Runnables.Frame[], Puma.Runtime.Tests]]" },
        { typeof(Nested.Item), "Puma.Runtime.Tests.Pipelines.TypeNamesTests+Nested+Item, Puma.Runtime.Tests" },
        { typeof(Puma.Buffers.PumaBuffer<Frame>), "Puma.Buffers.PumaBuffer`1[[Puma.Runtime.Tests.Runnables.Frame, Puma.Runtime.Tests]], Puma.Buffers" },
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void ATypeIsWrittenWithoutVersionsAndResolvesBack(Type type, string name)
    {
        Assert.Equal(name, TypeNames.Format(type));
        Assert.Equal(type, TypeNames.Resolve(name));
        Assert.Equal(type, TypeNames.Resolve(type.AssemblyQualifiedName));
    }

    [Theory]
    [InlineData("int", typeof(int))]
    [InlineData("string", typeof(string))]
    [InlineData(" double ", typeof(double))]
    [InlineData("byte[]", typeof(byte[]))]
    [InlineData("Puma.Runtime.Tests.Runnables.Frame", typeof(Frame))]
    public void KeywordsAndNamesWithoutAnAssemblyResolve(string name, Type type) => Assert.Equal(type, TypeNames.Resolve(name));

    [Theory]
    [InlineData("")]
    [InlineData("No.Such.Type")]
    [InlineData("No.Such.Type, Nowhere")]
    [InlineData("System.Int32, Nowhere")]
    [InlineData("[[[")]
    public void UnknownNamesResolveToNull(string name) => Assert.Null(TypeNames.Resolve(name));

    public static class Nested
    {
        public sealed record Item(int Value);
    }
}
