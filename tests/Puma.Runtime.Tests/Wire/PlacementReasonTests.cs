using System.Text.Json;
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

    [Fact]
    public void AGetterThatThrowsIsNamedWithItsExceptionWhichIsKeptAsTheInnerOne()
    {
        var error = Assert.Throws<RunnablePlacementException>(() => RunnableConfiguration.Capture(new ThrowingGetterHolder(), ChildHarness.Bind));
        Assert.Equal(
            $"Runnable property {typeof(ThrowingGetterHolder).FullName}.Value cannot be sent to a child process: its getter threw InvalidOperationException: not ready",
            error.Message);
        Assert.Equal("not ready", Assert.IsType<InvalidOperationException>(error.InnerException).Message);
    }

    [Fact]
    public void AnObjectPropertyHoldingAProcessBoundValueNamesTheValuesType()
    {
        var error = Assert.Throws<RunnablePlacementException>(() => RunnableConfiguration.Capture(new ObjectHolder { Value = new Func<int>(() => 1) }, ChildHarness.Bind));
        Assert.Equal(
            $"Runnable property {typeof(ObjectHolder).FullName}.Value cannot be sent to a child process: it holds a System.Func<System.Int32>: "
            + "its type System.Func<System.Int32> is a delegate; code cannot be sent to another process (use a command, or a configuration value the runnable maps to behaviour).",
            error.Message);
    }

    [Fact]
    public void AValueSystemTextJsonCannotWriteIsNamedWithTheSerializersError()
    {
        var cycle = new Node();
        cycle.Next = cycle;
        var error = Assert.Throws<RunnablePlacementException>(() => RunnableConfiguration.Capture(new NodeHolder { Value = cycle }, ChildHarness.Bind));
        var inner = Assert.IsType<JsonException>(error.InnerException);
        Assert.Equal(
            $"Runnable property {typeof(NodeHolder).FullName}.Value cannot be sent to a child process: its value of type {typeof(Node).FullName} cannot be serialized by System.Text.Json: {inner.Message}",
            error.Message);
    }

    [Fact]
    public void AValueOfAnUnsupportedShapeIsNamedWithTheSerializersError()
    {
        var holder = new ArrayKeyHolder { Value = new() { [[1]] = 2 } };
        var error = Assert.Throws<RunnablePlacementException>(() => RunnableConfiguration.Capture(holder, ChildHarness.Bind));
        var inner = Assert.IsType<NotSupportedException>(error.InnerException);
        Assert.Equal(
            $"Runnable property {typeof(ArrayKeyHolder).FullName}.Value cannot be sent to a child process: its value of type System.Collections.Generic.Dictionary<System.Int32[], System.Int32> cannot be serialized by System.Text.Json: {inner.Message}",
            error.Message);
    }

    [Fact]
    public void AValueThatCannotBeReadBackIsNamedWithItsJson()
    {
        var error = Assert.Throws<RunnablePlacementException>(() => RunnableConfiguration.Capture(new NoConstructorValueHolder { Value = new NoConstructorValue(7) }, ChildHarness.Bind));
        var inner = Assert.IsType<NotSupportedException>(error.InnerException);
        Assert.Equal(
            $"Runnable property {typeof(NoConstructorValueHolder).FullName}.Value cannot be sent to a child process: its value {{\"Number\":7}} cannot be deserialized back into {typeof(NoConstructorValue).FullName}: {inner.Message}",
            error.Message);
    }

    [Fact]
    public void ALongValueThatDoesNotSurviveTheRoundTripIsShortenedTo120Characters()
    {
        var holder = new LossyHolder { Value = new LossyValue(new string('a', 200)) };
        var error = Assert.Throws<RunnablePlacementException>(() => RunnableConfiguration.Capture(holder, ChildHarness.Bind));
        var json = "{\"Text\":\"" + new string('a', 200) + "\"}";
        Assert.Equal(
            $"Runnable property {typeof(LossyHolder).FullName}.Value cannot be sent to a child process: its value does not survive a round trip through System.Text.Json: "
            + $"{json[..117]}... came back as {{\"Text\":\"\"}} (state without public setters, or a custom converter that loses data?).",
            error.Message);
    }

    [Fact]
    public void AValueOfExactly120CharactersIsNotShortened()
    {
        var text = new string('b', 120 - """{"Text":""}""".Length);
        var holder = new LossyHolder { Value = new LossyValue(text) };
        var error = Assert.Throws<RunnablePlacementException>(() => RunnableConfiguration.Capture(holder, ChildHarness.Bind));
        Assert.Contains("{\"Text\":\"" + text + "\"} came back as", error.Message);
    }

    [Fact]
    public void AnEnumerableHeldInAListPropertyIsCheckedAsTheDeclaredType()
    {
        // A List<int> declared as IReadOnlyList<int>: the same JSON either way, so it is accepted.
        var configuration = RunnableConfiguration.Capture(new ListHolder { Value = [1, 2] }, ChildHarness.Bind);
        Assert.Equal("""{"Value":[1,2]}""", configuration.Properties.GetRawText());
    }

    /// <summary>Sample.</summary>
    public sealed class ThrowingGetterHolder { public int Value { get => throw new InvalidOperationException("not ready"); set { } } }

    /// <summary>Sample.</summary>
    public sealed class ObjectHolder { public object? Value { get; set; } }

    /// <summary>Sample.</summary>
    public sealed class Node { public Node? Next { get; set; } }

    /// <summary>Sample.</summary>
    public sealed class NodeHolder { public Node? Value { get; set; } }

    /// <summary>Sample.</summary>
    public sealed class ArrayKeyHolder { public Dictionary<int[], int>? Value { get; set; } }

    /// <summary>Sample: serializable, but with no constructor System.Text.Json can call.</summary>
    public sealed class NoConstructorValue
    {
        /// <summary>Sample.</summary>
        public NoConstructorValue(int number, int other) => Number = number + other;

        /// <summary>Sample.</summary>
        public NoConstructorValue(int number) => Number = number;

        /// <summary>Sample.</summary>
        public int Number { get; }
    }

    /// <summary>Sample.</summary>
    public sealed class NoConstructorValueHolder { public NoConstructorValue? Value { get; set; } }

    /// <summary>Sample: its text is written but never read back (no setter, no matching constructor).</summary>
    public sealed class LossyValue
    {
        /// <summary>Sample.</summary>
        public LossyValue() => Text = "";

        /// <summary>Sample.</summary>
        public LossyValue(string text) => Text = text;

        /// <summary>Sample.</summary>
        public string Text { get; }
    }

    /// <summary>Sample.</summary>
    public sealed class LossyHolder { public LossyValue? Value { get; set; } }

    /// <summary>Sample.</summary>
    public sealed class ListHolder { public IReadOnlyList<int>? Value { get; set; } }

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
