using System.Globalization;

namespace Puma.Bench.Harness;

/// <summary>Options shared by the suites: <c>--json FILE</c>, <c>--repeats N</c>, <c>--quick</c> and filters.</summary>
internal sealed class CliOptions
{
    /// <summary>Where to write the JSON records, or null.</summary>
    public string? JsonPath { get; private set; }

    /// <summary>Measured repetitions per (case, transport); the median is reported.</summary>
    public int Repeats { get; private set; } = 5;

    /// <summary>True when <c>--repeats</c> was given.</summary>
    public bool RepeatsGiven { get; private set; }

    /// <summary>Short durations so a whole suite finishes in well under a minute.</summary>
    public bool Quick { get; private set; }

    /// <summary>Only these transports / implementations (null: all).</summary>
    public IReadOnlySet<string>? Only { get; private set; }

    /// <summary>Only these cases (null: all).</summary>
    public IReadOnlySet<string>? Cases { get; private set; }

    /// <summary>
    /// Arguments this parser does not know, in order, for a suite with options of its own
    /// (<see cref="IConfigurableSuite"/>); any other suite rejects them.
    /// </summary>
    public IReadOnlyList<string> SuiteArguments => _suiteArguments;

    private readonly List<string> _suiteArguments = [];

    /// <summary>Parses the options after the suite name; throws <see cref="ArgumentException"/> on bad input.</summary>
    public static CliOptions Parse(string[] args)
    {
        var o = new CliOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{a} needs a value");
            switch (a)
            {
                case "--json": o.JsonPath = Value(); break;
                case "--repeats":
                    if (!int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var r) || r < 1)
                        throw new ArgumentException("--repeats needs a positive integer");
                    o.Repeats = r;
                    o.RepeatsGiven = true;
                    break;
                case "--quick": o.Quick = true; break;
                case "--only": o.Only = SplitSet(Value()); break;
                case "--cases": o.Cases = SplitSet(Value()); break;
                default: o._suiteArguments.Add(a); break;
            }
        }
        return o;
    }

    /// <summary>These options for one suite run by <c>all</c>: <c>--quick</c>, <paramref name="repeats"/> repeats, no JSON file of its own.</summary>
    /// <param name="repeats">Measured repetitions.</param>
    public CliOptions ForAllSuites(int repeats) => new()
    {
        Repeats = repeats,
        RepeatsGiven = true,
        Quick = true,
        Only = Only,
        Cases = Cases,
    };

    private static HashSet<string> SplitSet(string s) =>
        new(s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.OrdinalIgnoreCase);

    /// <summary>True when <paramref name="name"/> passes the <c>--only</c> filter.</summary>
    public bool Includes(string name) => Only is null || Only.Contains(name);

    /// <summary>True when <paramref name="caseName"/> passes the <c>--cases</c> filter.</summary>
    public bool IncludesCase(string caseName) => Cases is null || Cases.Contains(caseName);
}
