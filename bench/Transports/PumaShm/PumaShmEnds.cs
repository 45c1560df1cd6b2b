namespace Puma.Bench.Transports.PumaShm;

/// <summary>Which ends of the ring a <see cref="PumaShmTransport"/> measures.</summary>
internal enum PumaShmEnds
{
    /// <summary>"puma-shm": typed channel ends, <c>TryWrite</c>/<c>TryRead</c> (a copy in, a copy or an array out).</summary>
    Typed,

    /// <summary>"puma-shm-leased": typed channel ends, <c>TryClaim</c>/<c>Commit</c> in and <c>TryLease</c> out (the fill is the only copy).</summary>
    Leased,

    /// <summary>"puma-shm-zerocopy": the raw ring ends, claim/commit and acquire/release.</summary>
    ZeroCopy,
}
