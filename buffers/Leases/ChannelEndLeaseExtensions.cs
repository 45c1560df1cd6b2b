using System.Threading.Channels;

namespace Puma.Buffers;

/// <summary>
/// Leases and claims on ports typed as plain channel ends (a runnable's <c>ChannelReader&lt;T&gt;</c>
/// and <c>ChannelWriter&lt;T&gt;</c> properties): they forward to <see cref="ILeasableReader"/> and
/// <see cref="IClaimableWriter"/>, which every Puma port implements in every placement.
/// </summary>
public static class ChannelEndLeaseExtensions
{
    /// <summary>Leases the next item if one is available now; see <see cref="ILeasableReader.TryLease"/>.</summary>
    /// <exception cref="InvalidOperationException">The reader is not a Puma port (its type named), or see <see cref="ILeasableReader.TryLease"/>.</exception>
    public static bool TryLease<T>(this ChannelReader<T> reader, out ItemLease lease) => Leasable(reader).TryLease(out lease);

    /// <summary>Claims room for one item without waiting; see <see cref="IClaimableWriter.TryClaim"/>.</summary>
    /// <exception cref="InvalidOperationException">The writer is not a Puma port (its type named), or see <see cref="IClaimableWriter.TryClaim"/>.</exception>
    public static bool TryClaim<T>(this ChannelWriter<T> writer, int length, out Span<byte> span) => Claimable(writer).TryClaim(length, out span);

    /// <summary>Claims room for one item, waiting for room; see <see cref="IClaimableWriter.ClaimAsync"/>.</summary>
    /// <exception cref="InvalidOperationException">The writer is not a Puma port (its type named).</exception>
    public static ValueTask<Memory<byte>> ClaimAsync<T>(this ChannelWriter<T> writer, int length, CancellationToken cancellationToken = default) =>
        Claimable(writer).ClaimAsync(length, cancellationToken);

    /// <summary>Delivers the claimed item; see <see cref="IClaimableWriter.Commit"/>.</summary>
    /// <exception cref="InvalidOperationException">The writer is not a Puma port (its type named), or no claim is pending.</exception>
    public static void Commit<T>(this ChannelWriter<T> writer) => Claimable(writer).Commit();

    /// <summary>Abandons the claimed item; see <see cref="IClaimableWriter.Abort"/>.</summary>
    /// <exception cref="InvalidOperationException">The writer is not a Puma port (its type named), or no claim is pending.</exception>
    public static void Abort<T>(this ChannelWriter<T> writer) => Claimable(writer).Abort();

    private static ILeasableReader Leasable<T>(ChannelReader<T> reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return reader as ILeasableReader
            ?? throw new InvalidOperationException($"Leases need a Puma buffer's reader end (BufferReader<T>); a {reader.GetType().Name} cannot lend its items.");
    }

    private static IClaimableWriter Claimable<T>(ChannelWriter<T> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        return writer as IClaimableWriter
            ?? throw new InvalidOperationException($"Claims need a Puma buffer's writer end (BufferWriter<T>); a {writer.GetType().Name} cannot be written in place.");
    }
}
