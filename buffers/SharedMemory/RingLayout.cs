namespace Puma.Buffers.SharedMemory;

/// <summary>
/// Byte offsets of the shared-memory ring's segment. Everything after the header line sits on
/// its own 128-byte line so that cursors written by different processes never share a cache line.
/// </summary>
internal static class RingLayout
{
    /// <summary>"PUMARING" read as a little-endian 64-bit number.</summary>
    public const ulong Magic = 0x474E4952414D5550;
    public const int Version = 2; // 2: the signal lines count parks (see RingWait.Park)
    public const int LineBytes = 128;

    // Header line (written once by the creator).
    public const int MagicOffset = 0;            // ulong
    public const int VersionOffset = 8;          // int
    public const int DataOffsetOffset = 12;      // int
    public const int CapacityOffset = 16;        // long
    public const int ModeOffset = 24;            // int
    public const int ReaderSlotsOffset = 28;     // int
    public const int WriterReferencesOffset = 32; // int
    public const int CreatorPidOffset = 36;      // int

    // One line each.
    public const int ReserveCursorOffset = 1 * LineBytes;   // long: next free position (writers)
    public const int ClaimCursorOffset = 2 * LineBytes;     // long: competing readers' next record to take
    public const int ReleaseCursorOffset = 3 * LineBytes;   // long: competing readers' release frontier
    public const int StateLine = 4 * LineBytes;             // int state, int writers remaining, int writers claimed
    public const int StateOffset = StateLine;
    public const int WritersRemainingOffset = StateLine + 4;
    public const int WritersClaimedOffset = StateLine + 8;
    public const int DataSignalOffset = 5 * LineBytes;      // int sequence (futex word), int waiters, int parks
    public const int SpaceSignalOffset = 6 * LineBytes;     // int sequence (futex word), int waiters, int parks

    // Writer process table: pid and the number of writer references that process holds.
    public const int WriterTableOffset = 7 * LineBytes;
    public const int WriterTableEntries = 32;
    public const int WriterTableEntryBytes = 8;

    // Completion error: int length, then that many bytes (three length-prefixed UTF-8 strings).
    public const int ErrorAreaOffset = WriterTableOffset + WriterTableEntries * WriterTableEntryBytes;
    public const int ErrorAreaBytes = 8192;

    // Reader slots, one line each: long cursor, long claimed position, int pid, int state, int parked flag.
    public const int ReaderSlotsStart = ErrorAreaOffset + ErrorAreaBytes;
    public const int SlotCursorOffset = 0;
    public const int SlotClaimedOffset = 8;
    public const int SlotPidOffset = 16;
    public const int SlotStateOffset = 20;
    public const int SlotParkedOffset = 24;

    // Records: long tag (the record's absolute position + 1, stored last with release semantics),
    // int payload length, int kind and flags; the payload follows; records are 8-byte aligned.
    public const int RecordHeaderBytes = 16;
    public const int RecordLengthOffset = 8;
    public const int RecordKindOffset = 12;
    public const int KindData = 1;
    public const int KindPadding = 2;
    public const int KindMask = 0xFF;
    public const int FlagNull = 0x100;
    public const int FlagReleased = 0x10000;

    public const int MaxReaderSlots = 256;
    public const int MaxWriterReferences = 1 << 20;
    public const long MinCapacityBytes = 256;
    public const long MaxCapacityBytes = 1L << 34;

    /// <summary>Where the data area starts for a ring with this many reader slots (page-aligned).</summary>
    public static int DataOffset(int readerSlots) => Align(ReaderSlotsStart + readerSlots * LineBytes, 4096);

    public static int SlotOffset(int slot) => ReaderSlotsStart + slot * LineBytes;

    public static int Align(int value, int alignment) => (value + alignment - 1) & -alignment;

    /// <summary>The tag that marks a record at <paramref name="position"/> as published (never 0, so a zeroed ring holds no record).</summary>
    public static long Tag(long position) => position + 1;

    /// <summary>
    /// The tag a writer stores when it claims <paramref name="position"/>, until it publishes the
    /// record (negative, so never a published tag). Below the reserve cursor every record start
    /// holds one of the two tags; a parked end that finds neither there for a while reports the
    /// data area as corrupt instead of waiting forever.
    /// </summary>
    public static long ReservedTag(long position) => ~position;

    public static long RecordBytes(int payloadLength) => (RecordHeaderBytes + (long)payloadLength + 7) & ~7L;
}

/// <summary>The ring's completion state word.</summary>
internal static class RingState
{
    public const int Open = 0;
    public const int CompletingWithError = 1;
    public const int Completed = 2;
    public const int CompletedWithError = 3;

    /// <summary>True for the four defined states.</summary>
    public static bool IsDefined(int state) => (uint)state <= CompletedWithError;

    /// <summary>The defined states, for messages.</summary>
    public const string Names = "open (0), completing with an error (1), completed (2), completed with an error (3)";
}

/// <summary>States of a reader slot.</summary>
internal static class SlotState
{
    /// <summary>Registered at creation; no reader has opened it yet, but writers keep its items.</summary>
    public const int Pending = 0;
    public const int Attached = 1;
    public const int Closed = 2;
    public const int Dead = 3;

    /// <summary>Being opened: its pid is about to be published; writers treat it as live.</summary>
    public const int Attaching = 4;

    /// <summary>True for the five defined states.</summary>
    public static bool IsDefined(int state) => (uint)state <= Attaching;

    /// <summary>The defined states, for messages.</summary>
    public const string Names = "pending (0), attached (1), closed (2), dead (3), attaching (4)";

    /// <summary>True for slots whose cursor writers must respect.</summary>
    public static bool IsLive(int state) => state is Pending or Attached or Attaching;

    public static string Name(int state) => state switch
    {
        Pending => "pending",
        Attached => "attached",
        Closed => "closed",
        Dead => "dead",
        Attaching => "attaching",
        _ => "unknown(" + state + ")",
    };
}
