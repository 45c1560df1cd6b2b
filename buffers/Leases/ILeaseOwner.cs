namespace Puma.Buffers.Leases;

/// <summary>The reader end behind a lease: ends it on dispose.</summary>
internal interface ILeaseOwner
{
    /// <summary>Ends the lease numbered <paramref name="token"/>; a stale or repeated token does nothing.</summary>
    /// <param name="token">The lease's number.</param>
    /// <param name="held">What the lease holds beyond its bytes (in process), or null.</param>
    void EndLease(long token, HeldItem? held);
}
