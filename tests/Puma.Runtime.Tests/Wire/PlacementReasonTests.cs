using System.Threading.Channels;
using Puma.Runtime.Tests.Parent;
using Puma.Runtime.Wire;

namespace Puma.Runtime.Tests.Wire;

/// <summary>The exact reason a property or a type cannot go to a child process.</summary>
public sealed class PlacementReasonTests
{
    [Theory]
    [InlineData(typeof(StreamHolder), "System.IO.Stream is a Stream; streams cannot be sent to another process (pass a path, or use a buffer).")]
    [InlineData(typeof(TypeHolder), "System.Type is a reflection object; pass a type or member name instead.")]
    [InlineData(typeof(TaskHolder), "System.Threading.Tasks.Task is bound to this process (a task, thread, handle or token).")]
    [InlineData(typeof(TokenHolder), "System.Threading.CancellationToken is bound to this process (a task, thread, handle or token).")]
    [InlineData(typeof(EventHolder), "System.Threading.ManualResetEvent is bound to this process (a task, thread, handle or token).")]
    [InlineData(typeof(ThreadHolder), "System.Threading.Thread is bound to this process (a task, thread, handle or token).")]
    [InlineData(typeof(ValueTaskHolder), "System.Threading.Tasks.ValueTask<System.Int32> is bound to this process (a task, thread, handle or token).")]
    [InlineData(typeof(ChannelHolder), "System.Threading.Channels.Channel<System.Int32> is a whole channel; declare the ports as ChannelReader<T> or ChannelWriter<T>.")]
    public void APropertyOfAProcessBoundTypeIsNamedWithItsReason(Type type, string reason)
    {
        var error = Assert.Throws<RunnablePlacementException>(() => RunnableConfiguration.Capture(Activator.CreateInstance(type)!, ChildHarness.Bind));
        Assert.Equal($"Runnable property {type.FullName}.Value cannot be sent to a child process: its type {reason}", error.Message);
    }

    [Fact]
    public void ANullableHandleIsAPointerOrHandle()
    {
        var error = Assert.Throws<RunnablePlacementException>(() => RunnableConfiguration.Capture(new NullableHandleHolder(), ChildHarness.Bind));
        Assert.Equal(
            $"Runnable property {typeof(NullableHandleHolder).FullName}.Value cannot be sent to a child process: its type is a pointer or handle, which means nothing in another process.",
            error.Message);
    }

    [Theory]
    [InlineData(typeof(AbstractRunnable), "the type is abstract.")]
    [InlineData(typeof(IRunnableShape), "the type is abstract.")]
    [InlineData(typeof(GenericRunnable<>), "the type is an open generic type.")]
    public void ATypeAChildCannotCreateIsNamedWithItsReason(Type type, string reason)
    {
        var error = Assert.Throws<RunnablePlacementException>(() => RunnableConfiguration.CheckType(type));
        Assert.Equal($"Runnable {type.FullName} cannot run in a child process: {reason}", error.Message);
    }

    [Fact]
    public void ARunnableFromAnAssemblyWithNoFileIsNamedWithItsAssembly()
    {
        var assembly = System.Reflection.Emit.AssemblyBuilder.DefineDynamicAssembly(
            new System.Reflection.AssemblyName("PumaDynamicSample"), System.Reflection.Emit.AssemblyBuilderAccess.Run);
        var type = assembly.DefineDynamicModule("PumaDynamicSample")
            .DefineType("Dynamic.Sample", System.Reflection.TypeAttributes.Public | System.Reflection.TypeAttributes.Sealed)
            .CreateType();

        var error = Assert.Throws<RunnablePlacementException>(() => ChildStartMessage.For(Activator.CreateInstance(type)!, "sample", ChildHarness.Bind));

        Assert.Equal(
            "Runnable Dynamic.Sample cannot run in a child process: its assembly PumaDynamicSample has no file on disk (dynamic, or bundled in a single-file app), so a child process cannot load it.",
            error.Message);
        Assert.Equal("Dynamic.Sample", error.RunnableType);
        Assert.Null(error.PropertyName);
    }

    [Fact]
    public void AStartMessageNamesTheAssemblyFileTheTypeAndTheParentDirectory()
    {
        var start = ChildStartMessage.For(new AbstractRunnableImpl { Value = 4 }, "impl", ChildHarness.Bind, "Warning");

        Assert.Equal(typeof(AbstractRunnableImpl).Assembly.Location, start.AssemblyPath);
        Assert.Equal(typeof(AbstractRunnableImpl).FullName, start.TypeName);
        Assert.Equal("impl", start.RunnableName);
        Assert.Equal("Warning", start.LogMinimumLevel);
        Assert.Equal(AppContext.BaseDirectory, start.ParentBaseDirectory);
        Assert.Equal("""{"Value":4}""", start.Configuration.Properties.GetRawText());
    }

    /// <summary>Sample.</summary>
    public sealed class StreamHolder { public Stream? Value { get; set; } }

    /// <summary>Sample.</summary>
    public sealed class TypeHolder { public Type? Value { get; set; } }

    /// <summary>Sample.</summary>
    public sealed class TaskHolder { public Task? Value { get; set; } }

    /// <summary>Sample.</summary>
    public sealed class TokenHolder { public CancellationToken Value { get; set; } }

    /// <summary>Sample.</summary>
    public sealed class EventHolder { public ManualResetEvent? Value { get; set; } }

    /// <summary>Sample.</summary>
    public sealed class ThreadHolder { public Thread? Value { get; set; } }

    /// <summary>Sample.</summary>
    public sealed class ValueTaskHolder { public ValueTask<int> Value { get; set; } }

    /// <summary>Sample.</summary>
    public sealed class ChannelHolder { public Channel<int>? Value { get; set; } }

    /// <summary>Sample.</summary>
    public sealed class NullableHandleHolder { public IntPtr? Value { get; set; } }

    /// <summary>Sample.</summary>
    public abstract class AbstractRunnable { public int Value { get; set; } }

    /// <summary>Sample.</summary>
    public sealed class AbstractRunnableImpl : AbstractRunnable;

    /// <summary>Sample.</summary>
    public interface IRunnableShape { int Value { get; set; } }

    /// <summary>Sample.</summary>
    public sealed class GenericRunnable<T> { public T? Value { get; set; } }
}
