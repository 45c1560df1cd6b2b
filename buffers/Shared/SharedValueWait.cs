namespace Puma.Buffers;

/// <summary>The change waits of a <see cref="SharedValue{T}"/>, on its raw 8-byte value.</summary>
internal static class SharedValueWait
{
    /// <summary>
    /// Registers as a waiter (so that writers bump the change counter and wake), then completes at the next change
    /// (<paramref name="from"/> null) or as soon as the value's bits differ from <paramref name="from"/>.
    /// </summary>
    /// <returns>The value's bits then.</returns>
    public static async ValueTask<ulong> NextChangeAsync(SharedMapping mapping, ulong? from, CancellationToken cancellationToken)
    {
        var segment = mapping.Enter();
        try
        {
            var waiters = segment + SharedValueLayout.WaitersOffset;
            var counter = segment + SharedValueLayout.ChangesOffset;
            var value = segment + SharedValueLayout.ValueOffset;
            SharedWords.Increment(waiters);
            try
            {
                // Counter before value, every round: a change after the value was read has bumped the counter since.
                var seen = SharedWords.ReadInt32(counter);
                while (true)
                {
                    if (from is { } old && SharedWords.ReadUInt64(value) is var bits && bits != old)
                        return bits;
                    await SharedChangeWait.UntilChangedAsync(counter, seen, mapping, cancellationToken).ConfigureAwait(false);
                    if (from is null)
                        return SharedWords.ReadUInt64(value);
                    seen = SharedWords.ReadInt32(counter);
                }
            }
            finally
            {
                SharedWords.Decrement(waiters);
            }
        }
        finally
        {
            mapping.Exit();
        }
    }
}
