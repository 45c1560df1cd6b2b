namespace Puma.Runtime.Wire;

/// <summary>What a <see cref="ReplyFrame"/> carries after its id; one byte on the wire.</summary>
internal enum ReplyOutcome : byte
{
    /// <summary>The handler returned null; nothing follows.</summary>
    Null = 0,

    /// <summary>The handler returned a value: its type name and JSON follow.</summary>
    Value = 1,

    /// <summary>The handler threw: the exception follows as JSON (a portable exception).</summary>
    Error = 2,
}
