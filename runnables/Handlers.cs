using System.Threading.Channels;
using Puma.Runnables.Loop;

namespace Puma.Runnables;

/// <summary>
/// The registry a runnable fills in <see cref="Runnable.Configure"/>: handlers for its inputs,
/// commands, requests, ticks and input completion, and an optional produce step. Calls chain.
/// </summary>
public sealed partial class Handlers
{
    private readonly string _runnableName;
    internal readonly List<InputSource> Inputs = new();
    internal readonly Dictionary<Type, Func<object, CancellationToken, ValueTask>> Commands = new();
    internal readonly Dictionary<Type, Func<object, CancellationToken, ValueTask<object?>>> Requests = new();
    internal readonly List<TickSource> Ticks = new();
    internal Func<CancellationToken, ValueTask<bool>>? ProduceStep;

    internal Handlers(string runnableName) => _runnableName = runnableName;

    /// <summary>
    /// The default <c>maxBatch</c> of <see cref="Input{T}(ChannelReader{T}, Func{T, CancellationToken, ValueTask}, int)"/>:
    /// items handled from one input per turn of the loop (64).
    /// </summary>
    public const int DefaultInputBatch = 64;

    /// <summary>Handles each item of an input, in order.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="reader">The input port.</param>
    /// <param name="handler">Called once per item; the token is cancelled on Stop.</param>
    /// <param name="maxBatch">
    /// The most items of this input handled in one turn of the loop (at least 1; default
    /// <see cref="DefaultInputBatch"/>). After that many the loop serves commands, requests and due
    /// ticks and the other inputs before taking more from this one; a smaller batch makes commands
    /// and ticks more responsive under load, a larger one costs less per item.
    /// </param>
    /// <returns>This registry.</returns>
    public Handlers Input<T>(ChannelReader<T> reader, Func<T, CancellationToken, ValueTask> handler, int maxBatch = DefaultInputBatch)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (maxBatch < 1)
            throw new ArgumentOutOfRangeException(nameof(maxBatch), maxBatch, $"Runnable '{_runnableName}': an input's maxBatch must be at least 1.");
        if (reader is null)
            throw new ArgumentNullException(nameof(reader), $"Runnable '{_runnableName}' registered an input handler for a null reader: is the input port set?");
        if (FindInput(reader) is not null)
            throw new InvalidOperationException($"Runnable '{_runnableName}' registered two handlers for the same input ({reader}).");
        Inputs.Add(new InputSource<T>(reader, handler) { MaxBatch = maxBatch });
        return this;
    }

    private Handlers MarkLastInputSynchronous()
    {
        Inputs[^1].HandlesSynchronously = true;
        return this;
    }

    /// <summary>Handles each item of an input, in order, synchronously.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="reader">The input port.</param>
    /// <param name="handler">Called once per item.</param>
    /// <param name="maxBatch">The most items of this input handled per turn of the loop (see the asynchronous overload).</param>
    /// <returns>This registry.</returns>
    public Handlers Input<T>(ChannelReader<T> reader, Action<T> handler, int maxBatch = DefaultInputBatch)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Input<T>(reader, (item, _) => { handler(item); return default; }, maxBatch).MarkLastInputSynchronous();
    }

    /// <summary>
    /// Handles the completion of an input (register its <see cref="Input{T}(ChannelReader{T}, Action{T}, int)"/>
    /// handler first). Without this handler, an input completed with an error ends the runnable and
    /// passes the error to its outputs; with it, the handler decides (throw to fail).
    /// </summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="reader">The input port.</param>
    /// <param name="handler">Called once, with the completion error or null.</param>
    /// <returns>This registry.</returns>
    public Handlers InputCompleted<T>(ChannelReader<T> reader, Func<Exception?, CancellationToken, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var input = FindInput(reader)
            ?? throw new InvalidOperationException($"Runnable '{_runnableName}' registered a completion handler for {reader?.ToString() ?? "a null reader"} before its input handler.");
        input.OnCompleted = handler;
        return this;
    }

    /// <summary>Handles the completion of an input, synchronously. See the asynchronous overload.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="reader">The input port.</param>
    /// <param name="handler">Called once, with the completion error or null.</param>
    /// <returns>This registry.</returns>
    public Handlers InputCompleted<T>(ChannelReader<T> reader, Action<Exception?> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return InputCompleted(reader, (e, _) => { handler(e); return default; });
    }

    /// <summary>Handles commands of type <typeparamref name="T"/> (and types derived from it).</summary>
    /// <typeparam name="T">The command type.</typeparam>
    /// <param name="handler">Called once per command.</param>
    /// <returns>This registry.</returns>
    public Handlers Command<T>(Func<T, CancellationToken, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (!Commands.TryAdd(typeof(T), (c, ct) => handler((T)c, ct)))
            throw new InvalidOperationException($"Runnable '{_runnableName}' registered two handlers for command {typeof(T).Name}.");
        return this;
    }

    /// <summary>Handles commands of type <typeparamref name="T"/>, synchronously.</summary>
    /// <typeparam name="T">The command type.</typeparam>
    /// <param name="handler">Called once per command.</param>
    /// <returns>This registry.</returns>
    public Handlers Command<T>(Action<T> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Command<T>((c, _) => { handler(c); return default; });
    }

    /// <summary>
    /// Answers requests of type <typeparamref name="TRequest"/>. An exception thrown here goes back
    /// to the asker and does not end the runnable.
    /// </summary>
    /// <typeparam name="TRequest">The request type.</typeparam>
    /// <typeparam name="TReply">The reply type.</typeparam>
    /// <param name="handler">Computes the reply.</param>
    /// <returns>This registry.</returns>
    public Handlers Request<TRequest, TReply>(Func<TRequest, CancellationToken, ValueTask<TReply>> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (!Requests.TryAdd(typeof(TRequest), async (r, ct) => await handler((TRequest)r, ct).ConfigureAwait(true)))
            throw new InvalidOperationException($"Runnable '{_runnableName}' registered two handlers for request {typeof(TRequest).Name}.");
        return this;
    }

    /// <summary>Answers requests of type <typeparamref name="TRequest"/>, synchronously.</summary>
    /// <typeparam name="TRequest">The request type.</typeparam>
    /// <typeparam name="TReply">The reply type.</typeparam>
    /// <param name="handler">Computes the reply.</param>
    /// <returns>This registry.</returns>
    public Handlers Request<TRequest, TReply>(Func<TRequest, TReply> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Request<TRequest, TReply>((r, _) => new ValueTask<TReply>(handler(r)));
    }

    /// <summary>Runs <paramref name="handler"/> every <paramref name="interval"/>, between other handlers.</summary>
    /// <param name="interval">The period, at least 1 ms.</param>
    /// <param name="handler">The tick handler.</param>
    /// <returns>This registry.</returns>
    public Handlers Tick(TimeSpan interval, Func<CancellationToken, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (interval < TimeSpan.FromMilliseconds(1))
            throw new ArgumentOutOfRangeException(nameof(interval), interval, $"Runnable '{_runnableName}': a tick interval must be at least 1 ms.");
        Ticks.Add(new TickSource(interval, handler));
        return this;
    }

    /// <summary>Runs <paramref name="handler"/> every <paramref name="interval"/>, synchronously.</summary>
    /// <param name="interval">The period, at least 1 ms.</param>
    /// <param name="handler">The tick handler.</param>
    /// <returns>This registry.</returns>
    public Handlers Tick(TimeSpan interval, Action handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Tick(interval, _ => { handler(); return default; });
    }

    /// <summary>
    /// Registers the produce step of a source: called repeatedly, in bounded batches between commands
    /// and ticks, until it returns false (the source is done).
    /// </summary>
    /// <param name="step">Produces some output; returns false when there is nothing more to produce.</param>
    /// <returns>This registry.</returns>
    public Handlers Produce(Func<CancellationToken, ValueTask<bool>> step)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (ProduceStep is not null)
            throw new InvalidOperationException($"Runnable '{_runnableName}' registered two produce steps.");
        ProduceStep = step;
        return this;
    }

    /// <summary>The command types this runnable handles.</summary>
    public IEnumerable<Type> CommandTypes => Commands.Keys;

    /// <summary>The request types this runnable answers.</summary>
    public IEnumerable<Type> RequestTypes => Requests.Keys;

    private InputSource? FindInput(object? reader) => Inputs.Find(i => ReferenceEquals(i.Reader, reader));

    internal static THandler? Lookup<THandler>(Dictionary<Type, THandler> map, Type type) where THandler : class
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (map.TryGetValue(t, out var h))
                return h;
        }

        foreach (var i in type.GetInterfaces())
        {
            if (map.TryGetValue(i, out var h))
                return h;
        }

        return null;
    }
}
