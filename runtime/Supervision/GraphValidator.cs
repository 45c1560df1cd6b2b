using Puma.Buffers;
using Puma.Runnables;

namespace Puma.Runtime.Supervision;

/// <summary>Checks the graph of runnables and buffers before start and counts each buffer's bound ends.</summary>
internal static class GraphValidator
{
    /// <summary>Returns every problem found; on success, registers each buffer's writer and reader references.</summary>
    public static List<string> Validate(IReadOnlyList<RunnableSlot> slots, IReadOnlyDictionary<string, PumaBuffer> buffers)
    {
        var problems = new List<string>();
        var writersOf = new Dictionary<PumaBuffer, List<string>>();
        var readersOf = new Dictionary<(PumaBuffer, int), List<string>>();

        foreach (var slot in slots)
        {
            foreach (var port in slot.Ports)
            {
                if (port.Value is null)
                {
                    problems.Add($"Runnable '{slot.Name}': port {port.Name} is not set.");
                    continue;
                }
                if (port.BufferEnd is not { } end)
                {
                    if (slot.Placement != Placement.Thread)
                        problems.Add($"Runnable '{slot.Name}': port {port.Name} is a plain in-process channel ({port.Value.GetType().Name}); a runnable placed in a process or on a node needs a buffer made by runtime.CreateBuffer.");
                    continue;
                }
                if (!buffers.TryGetValue(end.Buffer.Name, out var known) || !ReferenceEquals(known, end.Buffer))
                {
                    problems.Add($"Runnable '{slot.Name}': port {port.Name} is bound to buffer '{end.Buffer.Name}', which belongs to another runtime.");
                    continue;
                }
                if (end.IsWriter)
                    Add(writersOf, end.Buffer, slot.Name);
                else
                    Add(readersOf, (end.Buffer, end.Index), slot.Name);
            }
        }

        foreach (var buffer in buffers.Values)
        {
            var readers = readersOf.Where(kv => kv.Key.Item1 == buffer).Select(kv => (kv.Key.Item2, (IReadOnlyList<string>)kv.Value));
            CheckEnds(buffer.Name, buffer.Mode, buffer.WriterHandedOut, buffer.ReaderEndsHandedOut > 0, readers, problems,
                "bind buffer.Writer to a runnable's output",
                $"bind {(buffer.Mode == BufferMode.Broadcast ? "buffer.AddReader()" : "buffer.Reader")} to a runnable's input");
        }
        if (problems.Count > 0)
            return problems;

        foreach (var buffer in buffers.Values)
        {
            var boundWriters = writersOf.TryGetValue(buffer, out var w) ? w.Count : 0;
            // An end handed out but bound to no runnable belongs to the application: it holds a reference the runtime never releases.
            for (var i = 0; i < Math.Max(boundWriters, 1); i++)
                buffer.AddWriterReference();
            var readerEnds = Math.Max(buffer.Mode == BufferMode.Broadcast ? buffer.ReaderEndsHandedOut : 1, 1);
            for (var index = 0; index < readerEnds; index++)
            {
                var bound = readersOf.TryGetValue((buffer, index), out var r) ? r.Count : 0;
                for (var i = 0; i < Math.Max(bound, 1); i++)
                    buffer.AddReaderReference();
            }
        }
        return problems;
    }

    /// <summary>
    /// The problems of one buffer's ends, for a runtime's graph and for a pipeline spec alike: no writer, no reader, one
    /// reader end bound to several runnables where the mode gives each item to one reader end.
    /// </summary>
    /// <param name="buffer">The buffer's name.</param>
    /// <param name="mode">Its delivery mode.</param>
    /// <param name="hasWriter">True when something writes it.</param>
    /// <param name="hasReader">True when something reads it.</param>
    /// <param name="readers">Each reader end's index and the runnables bound to it.</param>
    /// <param name="problems">Where the problems are added.</param>
    /// <param name="noWriterHint">What to do when it has no writer.</param>
    /// <param name="noReaderHint">What to do when it has no reader.</param>
    public static void CheckEnds(string buffer, BufferMode mode, bool hasWriter, bool hasReader,
        IEnumerable<(int Index, IReadOnlyList<string> Runnables)> readers, List<string> problems, string noWriterHint, string noReaderHint)
    {
        if (!hasWriter)
            problems.Add($"Buffer '{buffer}' has no writer: {noWriterHint}.");
        if (!hasReader)
            problems.Add($"Buffer '{buffer}' has no reader: {noReaderHint}.");
        foreach (var (index, names) in readers)
        {
            if (names.Count > 1 && mode == BufferMode.ManyToOne)
                problems.Add($"Buffer '{buffer}' is ManyToOne but its reader is bound to {names.Count} runnables ({string.Join(", ", names)}): use BufferMode.Competing to share the work or BufferMode.Broadcast to give each a copy.");
            if (names.Count > 1 && mode == BufferMode.Broadcast)
                problems.Add($"Buffer '{buffer}': broadcast reader {index} is bound to {names.Count} runnables ({string.Join(", ", names)}): give each runnable its own buffer.AddReader().");
        }
    }

    private static void Add<TKey>(Dictionary<TKey, List<string>> map, TKey key, string name) where TKey : notnull
    {
        if (!map.TryGetValue(key, out var list))
            map[key] = list = new List<string>();
        list.Add(name);
    }
}
