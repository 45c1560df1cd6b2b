namespace Puma.Buffers;

/// <summary>The change waits of a <see cref="SharedValue{T}"/>, on its raw 8-byte value.</summary>
internal static class SharedValueWait
{
    /// <summary>
    /// Registers as a waiter (so that writers bump the change counter and wake), then completes at the next change
    /// (<paramref name="from"/> null) or as soon as the value's bits differ from <paramref name="from"/>.
    /// </summary>
    /// <returns>The value's bits then.</returns>
    /// <remarks>
    /// A waiter registers by setting the value's "parked" word (no count: a waiter killed while parked costs the writers
    /// one extra clear and wake, not one on every later write); a writer that finds it set clears it, then bumps the
    /// change counter and wakes. The waiter reads the counter after setting the word and checks the word is still set:
    /// when a writer cleared it in between, it registers again, so every clear it may have missed moves the counter
    /// past what it saw.
    /// </remarks>
    public static async ValueTask<ulong> NextChangeAsync(SharedMapping mapping, ulong? from, CancellationToken cancellationToken)
    {
        var segment = mapping.EnterAddress();
        try
        {
            var parked = segment + SharedValueLayout.ParkedOffset;
            var counter = segment + SharedValueLayout.ChangesOffset;
            var value = segment + SharedValueLayout.ValueOffset;
            // Counter before value, every round: a change after the value was read has bumped the counter since.
            var seen = Register(parked, counter);
            while (true)
            {
                if (from is { } old && SharedWords.ReadUInt64(value) is var bits && bits != old)
                    return bits;
                await SharedChangeWait.UntilChangedAsync(counter, seen, mapping, cancellationToken).ConfigureAwait(false);
                if (from is null)
                    return SharedWords.ReadUInt64(value);
                seen = Register(parked, counter);
            }
        }
        finally
        {
            mapping.Exit();
        }
    }

    /// <summary>Sets the parked word and returns the change counter as seen while it stayed set.</summary>
    private static int Register(nint parked, nint counter)
    {
        while (true)
        {
            SharedWords.Exchange(parked, 1);
            var seen = SharedWords.ReadInt32(counter);
            if (SharedWords.ReadInt32(parked) != 0)
                return seen;
        }
    }
}
