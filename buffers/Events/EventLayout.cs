namespace Puma.Buffers.Events;

/// <summary>
/// The layout of an event's shared segment: a header written once by the creator (magic, version, kind, creator
/// pid) and, on its own cache line, the event word and the count of parked waiters.
/// </summary>
internal static class EventLayout
{
    /// <summary>"PUMAEVNT" in little-endian ASCII.</summary>
    public const ulong Magic = 0x544E56454D414D55;

    /// <summary>The layout version this build writes and accepts.</summary>
    public const int Version = 1;

    /// <summary>The kind of shared object: an event.</summary>
    public const int Kind = 1;

    public const int MagicOffset = 0;
    public const int VersionOffset = 8;
    public const int KindOffset = 12;
    public const int CreatorPidOffset = 16;

    /// <summary>The event word (see <see cref="EventWord"/>): the futex every waiter parks on.</summary>
    public const int WordOffset = 64;

    /// <summary>How many waiters are parked (or about to park) on the word: a setter wakes them only when it is not zero.</summary>
    public const int WaitersOffset = 68;

    /// <summary>The segment's size.</summary>
    public const int Length = 128;
}
