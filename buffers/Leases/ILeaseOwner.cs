namespace Puma.Buffers.Leases;

/// <summary>The reader end behind a lease: ends it on dispose.</summary>
internal interface ILeaseOwner
{
    /// <summary>Ends the lease numbered <paramref name="token"/>; a stale or repeated token does nothing.</summary>
    void EndLease(long token);
}
