using System.Threading.Channels;

namespace Puma.Runtime.Tests.Wire;

// Samples that cannot be placed in a child, each for one reason.

public sealed class DelegateSample
{
    public Func<int, int> Transform { get; set; } = x => x;
}

public sealed class StreamSample
{
    public Stream? Source { get; set; }
}

public sealed class Counter
{
    public int Count { get; private set; }

    public void Increment() => Count++;
}

public sealed class HiddenStateSample
{
    public Counter Counter { get; set; } = new();
}

public class Shape
{
    public string Name { get; set; } = "";
}

public sealed class Circle : Shape
{
    public double Radius { get; set; }
}

public sealed class DerivedValueSample
{
    public Shape Shape { get; set; } = new Circle { Name = "c", Radius = 2 };
}

public sealed class ObjectValueSample
{
    public object Value { get; set; } = 5;
}

internal sealed class InternalSample
{
    public int Value { get; set; }
}

public sealed class NoDefaultConstructorSample(int value)
{
    public int Value { get; set; } = value;
}

public sealed class PointerSample
{
    public IntPtr Handle { get; set; }
}

public sealed class BaseFlagSample
{
    public bool Verbose { get; set; }

    public string Name { get; set; } = "";
}

public sealed class CustomReader : ChannelReader<long>
{
    public override bool TryRead(out long item)
    {
        item = 0;
        return false;
    }

    public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(false);
}

public sealed class CustomPortSample
{
    public CustomReader? Input { get; set; }
}
