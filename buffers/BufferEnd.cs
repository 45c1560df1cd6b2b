namespace Puma.Buffers;

/// <summary>One end of a <see cref="PumaBuffer"/>: lets the runtime find the buffer behind a port.</summary>
public interface IBufferEnd
{
    /// <summary>The buffer this end belongs to.</summary>
    PumaBuffer Buffer { get; }

    /// <summary>For a reader end, its index among the buffer's reader ends; 0 for the writer end.</summary>
    int Index { get; }

    /// <summary>True for a writer end, false for a reader end.</summary>
    bool IsWriter { get; }
}
