namespace Puma.Buffers;

/// <summary>How the items written to a buffer are delivered to its reader ends.</summary>
public enum BufferMode
{
    /// <summary>Many writers, one reader: every item goes to the single reader end (the default, PUMA's).</summary>
    ManyToOne = 0,

    /// <summary>Every reader end sees every item (PYTHUSA's and ringbuffer's fan-out).</summary>
    Broadcast = 1,

    /// <summary>Readers compete for items: each item goes to exactly one reader end (work sharing).</summary>
    Competing = 2,
}
