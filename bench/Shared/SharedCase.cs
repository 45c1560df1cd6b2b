namespace Puma.Bench.Shared;

/// <summary>The cases of the shared suite: what each worker does, over and over.</summary>
internal static class SharedCase
{
    /// <summary>Increments one shared 64-bit counter.</summary>
    public const string ValueIncrement = "value-inc";

    /// <summary>Looks up <see cref="SharedKeys.Count"/> long keys in turn.</summary>
    public const string DictGet = "dict-get";

    /// <summary>Sets <see cref="SharedKeys.Count"/> long keys in turn.</summary>
    public const string DictSet = "dict-set";

    /// <summary>Looks up <see cref="SharedKeys.Count"/> 8-character string keys in turn.</summary>
    public const string DictGetString = "dict-get-str";

    /// <summary>Sets <see cref="SharedKeys.Count"/> 8-character string keys in turn.</summary>
    public const string DictSetString = "dict-set-str";

    /// <summary>Every case, in print order.</summary>
    public static readonly string[] All = [ValueIncrement, DictGet, DictSet, DictGetString, DictSetString];

    /// <summary>True for the cases on string keys.</summary>
    public static bool HasStringKeys(string caseName) => caseName is DictGetString or DictSetString;
}
