using System.Collections.Concurrent;
using Serilog.Events;
using Serilog.Parsing;

namespace Puma.Logging;

/// <summary>
/// Parses message template text, caching up to <see cref="Capacity"/> templates (the cache is
/// cleared when it fills, which keeps memory bounded if templates are built dynamically).
/// </summary>
internal static class MessageTemplateCache
{
    public const int Capacity = 1000;

    private static readonly ConcurrentDictionary<string, MessageTemplate> Cache = new(StringComparer.Ordinal);
    private static readonly MessageTemplateParser Parser = new();

    public static MessageTemplate Parse(string text)
    {
        if (Cache.TryGetValue(text, out var template))
            return template;

        template = Parser.Parse(text);
        if (Cache.Count >= Capacity)
            Cache.Clear();

        Cache.TryAdd(text, template);
        return template;
    }
}
