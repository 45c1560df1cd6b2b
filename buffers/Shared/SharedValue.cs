using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;

namespace Puma.Buffers;

/// <summary>
/// A value of <typeparamref name="T"/> in shared memory, read and updated atomically by runnables in threads and in
/// processes (InterProcessPyObjects' shared value, typed): <see cref="Read"/>, <see cref="Write"/>,
/// <see cref="Exchange"/>, <see cref="CompareExchange"/>, <see cref="Add"/> for integers, and change waits.
/// Created by the runtime (<c>runtime.CreateSharedValue(name, initial)</c>) and freed with it.
/// </summary>
/// <remarks>
/// <para><typeparamref name="T"/> is at most 8 bytes, so that one atomic instruction reads or updates it, lock-free,
/// and no process that dies mid-update can leave it half written or locked. Wider state belongs in a
/// <see cref="SharedDictionary{TKey, TValue}"/> or a <see cref="SharedArray{T}"/>.</para>
/// <para>Values are compared bit for bit (by <see cref="CompareExchange"/> and change waits): for a float, -0.0 is not
/// 0.0 and a NaN equals the same NaN. A struct with padding bytes should not be used.</para>
/// <para>Pass it to a runnable as a property: in a thread the runnable holds this object, in a process a copy that
/// maps the same memory on first use.</para>
/// </remarks>
/// <typeparam name="T">An unmanaged type of 1 to 8 bytes.</typeparam>
[JsonConverter(typeof(SharedObjectJsonConverterFactory))]
public sealed unsafe partial class SharedValue<T> : IDisposable, IAsyncDisposable
    where T : unmanaged
{
    private readonly SharedMapping _mapping;

    private SharedValue(string name, SharedMapping mapping)
    {
        Name = name;
        _mapping = mapping;
    }

    /// <summary>The value's name in its runtime.</summary>
    public string Name { get; }

    /// <summary>The name of the shared segment (what a copy in another process maps).</summary>
    internal string SegmentName => _mapping.SegmentName;

    /// <summary>True once this copy has mapped the segment.</summary>
    internal bool IsMapped => _mapping.IsMapped;

    /// <summary>The segment's first byte (tests corrupt the header through it).</summary>
    internal byte* Segment => _mapping.Pointer;

    /// <summary>Counts the caller in (see <see cref="SharedMapping.Enter"/>) and returns the value's address; pair with <see cref="Leave"/>.</summary>
    private ulong* Bits
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (ulong*)(_mapping.Enter() + SharedValueLayout.ValueOffset);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Leave() => _mapping.Exit();

    /// <summary>Reads the value (an acquire read: what its writer wrote before it is visible too).</summary>
    /// <returns>The current value.</returns>
    /// <exception cref="ObjectDisposedException">The value (or its runtime) was disposed.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Read()
    {
        var bits = Bits;
        try
        {
            return FromBits(Volatile.Read(ref *bits));
        }
        finally
        {
            Leave();
        }
    }

    /// <summary>Writes <paramref name="value"/> (atomically, a full fence).</summary>
    /// <param name="value">The new value.</param>
    public void Write(T value) => Exchange(value);

    /// <summary>Writes <paramref name="value"/> and returns the value it replaced, atomically.</summary>
    /// <param name="value">The new value.</param>
    /// <returns>The previous value.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Exchange(T value)
    {
        var bits = Bits;
        try
        {
            var previous = Interlocked.Exchange(ref *bits, ToBits(value));
            Changed(bits);
            return FromBits(previous);
        }
        finally
        {
            Leave();
        }
    }

    /// <summary>Writes <paramref name="value"/> if the value is (bit for bit) <paramref name="comparand"/>, atomically.</summary>
    /// <param name="value">The new value.</param>
    /// <param name="comparand">The value expected.</param>
    /// <returns>The value found: <paramref name="comparand"/> when the write happened.</returns>
    public T CompareExchange(T value, T comparand)
    {
        var bits = Bits;
        try
        {
            var expected = ToBits(comparand);
            var found = Interlocked.CompareExchange(ref *bits, ToBits(value), expected);
            if (found == expected)
                Changed(bits);
            return FromBits(found);
        }
        finally
        {
            Leave();
        }
    }

    /// <summary>Adds <paramref name="delta"/> atomically (wrapping on overflow) and returns the new value.</summary>
    /// <param name="delta">What to add (negative to subtract, for signed types).</param>
    /// <returns>The value after the addition.</returns>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not int, long, uint or ulong.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Add(T delta)
    {
        if (typeof(T) != typeof(int) && typeof(T) != typeof(long) && typeof(T) != typeof(uint) && typeof(T) != typeof(ulong))
            throw new NotSupportedException($"Shared value '{Name}': Add and Increment need an int, long, uint or ulong value, not {typeof(T).FullName}; use CompareExchange in a loop.");
        var bits = Bits;
        try
        {
            return AddAt(bits, delta);
        }
        finally
        {
            Leave();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private T AddAt(ulong* bits, T delta)
    {
        T result;
        if (typeof(T) == typeof(int))
        {
            var sum = Interlocked.Add(ref *(int*)bits, Unsafe.As<T, int>(ref delta));
            result = Unsafe.As<int, T>(ref sum);
        }
        else if (typeof(T) == typeof(long))
        {
            var sum = Interlocked.Add(ref *(long*)bits, Unsafe.As<T, long>(ref delta));
            result = Unsafe.As<long, T>(ref sum);
        }
        else if (typeof(T) == typeof(uint))
        {
            var sum = Interlocked.Add(ref *(uint*)bits, Unsafe.As<T, uint>(ref delta));
            result = Unsafe.As<uint, T>(ref sum);
        }
        else
        {
            var sum = Interlocked.Add(ref *bits, Unsafe.As<T, ulong>(ref delta));
            result = Unsafe.As<ulong, T>(ref sum);
        }
        Changed(bits);
        return result;
    }

    /// <summary>Adds one atomically and returns the new value.</summary>
    /// <returns>The value after the increment.</returns>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is not int, long, uint or ulong.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Increment()
    {
        if (typeof(T) == typeof(int))
            return Add(Unsafe.BitCast<int, T>(1));
        if (typeof(T) == typeof(long))
            return Add(Unsafe.BitCast<long, T>(1));
        if (typeof(T) == typeof(uint))
            return Add(Unsafe.BitCast<uint, T>(1));
        if (typeof(T) == typeof(ulong))
            return Add(Unsafe.BitCast<ulong, T>(1));
        return Add(default);
    }

    /// <summary>Unmaps the value in this process (a wait in progress ends with <see cref="ObjectDisposedException"/>).</summary>
    public void Dispose()
    {
        // Counted in while waking, so the wake never touches an unmapped page (another thread may dispose too).
        var entered = _mapping.TryEnterMapped(out var segment);
        try
        {
            // Parked waiters of this process see the disposal when they wake (their mapping stays until they leave).
            if (_mapping.TryDispose() && entered)
                SharedChangeWait.WakeAll((nint)(segment + SharedValueLayout.ChangesOffset));
        }
        finally
        {
            if (entered)
                _mapping.Exit();
        }
    }

    /// <summary>Same as <see cref="Dispose"/>.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public override string ToString() => $"SharedValue<{typeof(T).Name}> '{Name}'";

    /// <summary>A new value in a new segment, holding <paramref name="initial"/>.</summary>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is wider than 8 bytes.</exception>
    internal static SharedValue<T> Create(string name, T initial)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        CheckSize(name);
        var bits = ToBits(initial);
        var mapping = SharedMapping.Create(SharedValueLayout.SegmentLength, $"Shared value '{name}'", address =>
        {
            *(ulong*)((byte*)address + SharedValueLayout.ValueOffset) = bits;
            SharedValueLayout.Initialize((byte*)address, sizeof(T));
        });
        return new SharedValue<T>(name, mapping);
    }

    /// <summary>A copy of a value created elsewhere (another process), which maps segment <paramref name="segmentName"/> on first use.</summary>
    internal static SharedValue<T> Attaching(string name, string segmentName)
    {
        CheckSize(name);
        var label = $"Shared value '{name}'";
        return new SharedValue<T>(name, SharedMapping.Attaching(segmentName, label,
            (address, length) => SharedValueLayout.Validate((byte*)address, length, sizeof(T), label)));
    }

    private static void CheckSize(string name)
    {
        if (sizeof(T) > SharedValueLayout.MaxSize)
            throw new NotSupportedException($"Shared value '{name}': {typeof(T).FullName} is {sizeof(T)} bytes; a shared value is at most {SharedValueLayout.MaxSize} bytes (one atomic instruction updates it). Keep wider state in a SharedDictionary or a SharedArray.");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Changed(ulong* bits)
    {
        // Only while someone is parked (see SharedValueWait): the word is then cleared, the counter bumped, the waiters woken.
        var segment = (byte*)bits - SharedValueLayout.ValueOffset;
        var parked = (int*)(segment + SharedValueLayout.ParkedOffset);
        if (Volatile.Read(ref *parked) == 0)
            return;
        Interlocked.Exchange(ref *parked, 0);
        Interlocked.Increment(ref *(int*)(segment + SharedValueLayout.ChangesOffset));
        SharedChangeWait.WakeAll((nint)(segment + SharedValueLayout.ChangesOffset));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ToBits(T value)
    {
        ulong bits = 0;
        Unsafe.As<ulong, T>(ref bits) = value;
        return bits;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T FromBits(ulong bits) => Unsafe.As<ulong, T>(ref bits);
}
