using System.Text.Json;

namespace Puma.Bench.Harness;

/// <summary>
/// Writes measurements as a JSON array, one record per measurement (its median):
/// <c>{"suite","case","transport","metric","value","unit"}</c>. Failed measurements are left out.
/// </summary>
internal static class JsonReport
{
    /// <summary>Writes <paramref name="rows"/> to <paramref name="path"/> (overwriting it).</summary>
    public static void Write(string path, IEnumerable<Measurement> rows)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        using var stream = File.Create(path);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartArray();
        foreach (var m in rows)
        {
            if (m.Error is not null) continue;
            w.WriteStartObject();
            w.WriteString("suite", m.Suite);
            w.WriteString("case", m.Case);
            w.WriteString("transport", m.Transport);
            w.WriteString("metric", m.Metric);
            w.WriteNumber("value", m.Value);
            w.WriteString("unit", m.Unit);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
