using System.Globalization;
using Puma.Runtime;

namespace Puma.Hosting;

/// <summary>Reads a <see cref="FailurePolicy"/> written as text: <c>StopAll</c>, <c>Continue</c> or <c>Restart:3:00:00:10</c>.</summary>
internal static class FailurePolicyText
{
    private const string RestartPrefix = "Restart:";

    public const string Grammar =
        "use StopAll, Continue or Restart:<maxRestarts>:<window> (for example Restart:3:00:00:10, at most 3 restarts within any 10 s)";

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="problem"/> says why and <paramref name="policy"/> is null.</summary>
    public static bool TryParse(string? text, out FailurePolicy? policy, out string? problem)
    {
        policy = null;
        problem = null;
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Equals("StopAll", StringComparison.OrdinalIgnoreCase))
            policy = FailurePolicy.StopAll;
        else if (trimmed.Equals("Continue", StringComparison.OrdinalIgnoreCase))
            policy = FailurePolicy.Continue;
        else if (trimmed.StartsWith(RestartPrefix, StringComparison.OrdinalIgnoreCase))
            policy = ParseRestart(trimmed[RestartPrefix.Length..], out problem);
        else
            problem = "it is not a failure policy";
        return policy is not null;
    }

    private static RestartPolicy? ParseRestart(string arguments, out string? problem)
    {
        problem = null;
        var colon = arguments.IndexOf(':');
        if (colon < 0)
        {
            problem = "a restart policy needs a count and a window";
            return null;
        }
        if (!int.TryParse(arguments[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out var maxRestarts) || maxRestarts < 1)
        {
            problem = $"the restart count '{arguments[..colon]}' is not a whole number of at least 1";
            return null;
        }
        if (!TimeSpan.TryParse(arguments[(colon + 1)..], CultureInfo.InvariantCulture, out var window) || window <= TimeSpan.Zero)
        {
            problem = $"the restart window '{arguments[(colon + 1)..]}' is not a time span longer than zero";
            return null;
        }
        return FailurePolicy.Restart(maxRestarts, window);
    }
}
