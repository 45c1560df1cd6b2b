using System.Text;
using Puma.Buffers.SharedMemory;

namespace Puma.Buffers.Tests.SharedMemory;

/// <summary>Diagnostics for test failure messages.</summary>
internal static unsafe class RingDiagnostics
{
    /// <summary>A one-line dump of the cursors, state and the record at each reader's position.</summary>
    public static string DescribeState(this SharedMemoryRing ring)
    {
        var text = new StringBuilder();
        text.Append($"ring {ring.Name}: state {ring.State}, reserve {Volatile.Read(ref *ring.ReserveCursor)}, claim {Volatile.Read(ref *ring.ClaimCursor)}, release {Volatile.Read(ref *ring.ReleaseCursor)}");
        text.Append($", data waiters {Volatile.Read(ref *ring.DataWaiters)}, space waiters {Volatile.Read(ref *ring.SpaceWaiters)}");
        text.Append($", writers remaining {Volatile.Read(ref *ring.WritersRemaining)}");
        for (var slot = 0; slot < ring.Readers; slot++)
        {
            var cursor = Volatile.Read(ref *ring.SlotCursor(slot));
            var record = ring.Data + ring.Offset(cursor);
            text.Append($"; slot {slot} {SlotState.Name(*ring.SlotStateWord(slot))} pid {*ring.SlotPid(slot)} cursor {cursor}");
            if (ring.Capacity - ring.Offset(cursor) >= RingLayout.RecordHeaderBytes)
                text.Append($" record tag {*(long*)record} length {*(int*)(record + RingLayout.RecordLengthOffset)} kind 0x{*(int*)(record + RingLayout.RecordKindOffset):X}");
        }
        return text.ToString();
    }
}
