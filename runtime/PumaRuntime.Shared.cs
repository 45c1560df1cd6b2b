using Puma.Buffers;

namespace Puma.Runtime;

/// <summary>Shared arrays and shared state: created by name, handed to runnables as properties, freed with the runtime.</summary>
public sealed partial class PumaRuntime
{
    private readonly HashSet<string> _sharedNames = new(StringComparer.Ordinal);

    /// <summary>
    /// Creates a zeroed array of <typeparamref name="T"/> in shared memory with the given lengths (one per dimension,
    /// row-major). Give it to runnables as a property: in a thread they hold this object, in a process a copy that
    /// maps the same memory, so writes on either side are seen by the other without a copy. It is freed when the
    /// runtime is disposed, after its runnables have ended; no segment outlives a crash. May be called before or
    /// after <see cref="StartAsync"/>.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="name">A name unique among this runtime's shared objects.</param>
    /// <param name="lengths">1 to 8 lengths, at least 0 each, at most int.MaxValue elements in all.</param>
    /// <returns>The array, owned by the runtime.</returns>
    /// <exception cref="ArgumentException">The name is empty or already used by a shared object of this runtime.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The shape is not valid; the message names the bad length and the limit.</exception>
    /// <exception cref="ObjectDisposedException">The runtime is disposed.</exception>
    public SharedArray<T> CreateSharedArray<T>(string name, params ReadOnlySpan<int> lengths)
        where T : unmanaged
    {
        var shape = lengths.ToArray();
        return CreateShared(name, () => SharedArray<T>.Create(name, shape));
    }

    /// <summary>Creates a zeroed shared array with the element type and shape of <paramref name="like"/> (pasha's <c>alloc like</c>).</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="name">A name unique among this runtime's shared objects.</param>
    /// <param name="like">The array whose lengths the new one takes.</param>
    /// <returns>The array, owned by the runtime.</returns>
    /// <exception cref="ArgumentException">The name is empty or already used.</exception>
    /// <exception cref="ObjectDisposedException">The runtime is disposed.</exception>
    public SharedArray<T> CreateSharedArrayLike<T>(string name, SharedArray<T> like)
        where T : unmanaged =>
        CreateSharedArrayLike<T, T>(name, like);

    /// <summary>Creates a zeroed shared array of <typeparamref name="T"/> with the shape of <paramref name="like"/>, whatever its element type.</summary>
    /// <typeparam name="T">The new array's element type.</typeparam>
    /// <typeparam name="TLike">The element type of <paramref name="like"/>.</typeparam>
    /// <param name="name">A name unique among this runtime's shared objects.</param>
    /// <param name="like">The array whose lengths the new one takes.</param>
    /// <returns>The array, owned by the runtime.</returns>
    /// <exception cref="ArgumentException">The name is empty or already used.</exception>
    /// <exception cref="ObjectDisposedException">The runtime is disposed.</exception>
    public SharedArray<T> CreateSharedArrayLike<T, TLike>(string name, SharedArray<TLike> like)
        where T : unmanaged
        where TLike : unmanaged
    {
        ArgumentNullException.ThrowIfNull(like);
        return CreateSharedArray<T>(name, like.Lengths);
    }

    /// <summary>
    /// Creates a value of <typeparamref name="T"/> in shared memory holding <paramref name="initial"/>, read and
    /// updated atomically (read, write, exchange, compare-exchange, add) by runnables in any placement, with change
    /// waits. Give it to runnables as a property. Freed when the runtime is disposed.
    /// </summary>
    /// <typeparam name="T">An unmanaged type of at most 8 bytes (one atomic instruction updates it).</typeparam>
    /// <param name="name">A name unique among this runtime's shared objects.</param>
    /// <param name="initial">The first value.</param>
    /// <returns>The value, owned by the runtime.</returns>
    /// <exception cref="ArgumentException">The name is empty or already used.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is wider than 8 bytes; the message names it and its size.</exception>
    /// <exception cref="ObjectDisposedException">The runtime is disposed.</exception>
    public SharedValue<T> CreateSharedValue<T>(string name, T initial = default)
        where T : unmanaged =>
        CreateShared(name, () => SharedValue<T>.Create(name, initial));

    /// <summary>
    /// Creates an empty dictionary in shared memory for at most <paramref name="capacity"/> entries, read lock-free and
    /// written safely by runnables in any placement (several processes at once). Keys and values are unmanaged types
    /// or strings, stored as UTF-8 in fixed slots of the declared length. Give it to runnables as a property. Freed
    /// when the runtime is disposed.
    /// </summary>
    /// <typeparam name="TKey">An unmanaged type, or string.</typeparam>
    /// <typeparam name="TValue">An unmanaged type, or string.</typeparam>
    /// <param name="name">A name unique among this runtime's shared objects.</param>
    /// <param name="capacity">The most entries, 1 to 2^28; adding one more key throws <see cref="SharedDictionaryFullException"/>.</param>
    /// <param name="maxKeyLength">For string keys, the longest key in UTF-8 bytes (1 to 4096); 0 otherwise.</param>
    /// <param name="maxValueLength">For string values, the longest value in UTF-8 bytes (1 to 4096); 0 otherwise.</param>
    /// <returns>The dictionary, owned by the runtime.</returns>
    /// <exception cref="ArgumentException">The name is empty or already used, or a length limit is given for a type that is not string.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The capacity or a string length limit is outside its range.</exception>
    /// <exception cref="NotSupportedException">A type is neither unmanaged nor string.</exception>
    /// <exception cref="ObjectDisposedException">The runtime is disposed.</exception>
    public SharedDictionary<TKey, TValue> CreateSharedDictionary<TKey, TValue>(string name, int capacity, int maxKeyLength = 0, int maxValueLength = 0)
        where TKey : notnull =>
        CreateShared(name, () => SharedDictionary<TKey, TValue>.Create(name, capacity, maxKeyLength, maxValueLength));

    private TShared CreateShared<TShared>(string name, Func<TShared> create)
        where TShared : IDisposable
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        lock (_sharedNames)
        {
            if (_sharedNames.Contains(name))
                throw new ArgumentException($"A shared object named '{name}' already exists in this runtime.", nameof(name));
            var shared = Own(create());
            _sharedNames.Add(name);
            return shared;
        }
    }
}
