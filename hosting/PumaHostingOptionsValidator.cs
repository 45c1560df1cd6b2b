using Microsoft.Extensions.Options;

namespace Puma.Hosting;

/// <summary>Rejects hosting options the runtime cannot use, naming the configuration key and the value.</summary>
internal sealed class PumaHostingOptionsValidator : IValidateOptions<PumaHostingOptions>
{
    public ValidateOptionsResult Validate(string? name, PumaHostingOptions options)
    {
        var problems = new List<string>();
        if (options.StopTimeout < TimeSpan.Zero)
            problems.Add($"{Key(nameof(options.StopTimeout))} is {options.StopTimeout}: it cannot be negative.");
        if (options.StatusCapacity < 1)
            problems.Add($"{Key(nameof(options.StatusCapacity))} is {options.StatusCapacity}: it must be at least 1.");
        if (!FailurePolicyText.TryParse(options.FailurePolicy, out _, out var problem))
            problems.Add($"{Key(nameof(options.FailurePolicy))} is '{options.FailurePolicy}': {problem}; {FailurePolicyText.Grammar}.");
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static string Key(string property) => $"{PumaHostingOptions.SectionName}:{property}";
}
