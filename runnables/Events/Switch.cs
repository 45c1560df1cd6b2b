using System.Threading.Channels;
using Puma.Buffers;

namespace Puma.Runnables;

/// <summary>
/// A switchable runnable, built in: each item of <see cref="Input"/> goes to <see cref="WhenSet"/> while
/// <see cref="Event"/> is set and to <see cref="WhenReset"/> while it is reset, in order, each item to exactly one
/// output. The event is read once per item, as the item is handled.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
/// <example>
/// <code>
/// var route = runtime.CreateEvent("route");
/// runtime.Add(new Switch&lt;Frame&gt; { Name = "switch", Input = raw.Reader, WhenSet = a.Writer, WhenReset = b.Writer, Event = route });
/// </code>
/// </example>
public sealed class Switch<T> : Runnable
{
    /// <summary>The items to route.</summary>
    public required ChannelReader<T> Input { get; init; }

    /// <summary>Where items go while <see cref="Event"/> is set.</summary>
    public required ChannelWriter<T> WhenSet { get; init; }

    /// <summary>Where items go while <see cref="Event"/> is reset.</summary>
    public required ChannelWriter<T> WhenReset { get; init; }

    /// <summary>The event that selects the output.</summary>
    public required PumaEvent Event { get; init; }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">A port or the event is not set (null).</exception>
    protected override void Configure(Handlers on)
    {
        if (WhenSet is null || WhenReset is null || Event is null)
            throw new InvalidOperationException($"Switch '{Name}' needs WhenSet, WhenReset and Event; {(WhenSet is null ? "WhenSet" : WhenReset is null ? "WhenReset" : "Event")} is null.");
        on.Input(Input, (item, ct) => (Event.IsSet ? WhenSet : WhenReset).WriteAsync(item, ct));
    }
}
