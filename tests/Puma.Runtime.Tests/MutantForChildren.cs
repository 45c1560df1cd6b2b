using System.Globalization;
using System.Reflection;
using Xunit.Sdk;

[assembly: Puma.Runtime.Tests.MutantForChildren]

namespace Puma.Runtime.Tests;

/// <summary>
/// Under mutation testing (Stryker.NET), hands the active mutant to the child processes a test starts, so
/// that the child host's code is mutated too. Stryker's VSTest runner activates a mutant by setting a static
/// field (<c>MutantControl.ActiveMutant</c>) in the test process only; the <c>MutantControl</c> it compiles
/// into the mutated assembly also reads the mutant from the environment variable that
/// <c>STRYKER_MUTANT_ID_CONTROL_VAR</c> names, and a child inherits the test process's environment.
/// Outside Stryker the assemblies have no <c>MutantControl</c> and this does nothing.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly)]
internal sealed class MutantForChildrenAttribute : BeforeAfterTestAttribute
{
    private const string ControlVariable = "STRYKER_MUTANT_ID_CONTROL_VAR";

    private static readonly FieldInfo[] ActiveMutants =
        [.. new[] { typeof(PumaRuntime).Assembly, typeof(Puma.Buffers.PumaBuffer).Assembly, typeof(Puma.Runnables.Runnable).Assembly }
            .SelectMany(a => a.GetTypes())
            .Where(t => t.Name == "MutantControl")
            .Select(t => t.GetField("ActiveMutant", BindingFlags.Public | BindingFlags.Static))
            .OfType<FieldInfo>()];

    /// <summary>Exports the active mutant (if any) to the environment before each test.</summary>
    public override void Before(MethodInfo methodUnderTest)
    {
        foreach (var field in ActiveMutants)
        {
            // -2: not read yet, so Stryker passes it through the environment itself, which children inherit.
            if (field.GetValue(null) is not int id || id == -2)
                continue;
            if (Environment.GetEnvironmentVariable(ControlVariable) is not { Length: > 0 } variable)
            {
                variable = "PUMA_STRYKER_ACTIVE_MUTANT";
                Environment.SetEnvironmentVariable(ControlVariable, variable);
            }
            Environment.SetEnvironmentVariable(variable, id.ToString(CultureInfo.InvariantCulture));
        }
    }
}
