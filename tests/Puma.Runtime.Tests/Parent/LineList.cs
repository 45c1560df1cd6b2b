using System.Collections.Concurrent;

namespace Puma.Runtime.Tests.Parent;

internal sealed class LineList
{
    private readonly ConcurrentQueue<string> _lines = new();

    public void Add(string line) => _lines.Enqueue(line);

    public IReadOnlyCollection<string> Lines => _lines.ToArray();

    public bool Contains(string line) => _lines.Contains(line);

    public override string ToString() => string.Join(" | ", _lines);
}
