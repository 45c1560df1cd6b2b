namespace Puma.Runnables;

/// <summary>
/// Marks a terminator: when a runnable of this class completes by itself (its sources ended: inputs completed,
/// produce step or <c>RunAsync</c> done), the runtime stops every other runnable gracefully, as
/// <c>PumaRuntime.StopAsync()</c> does, and <c>WaitAsync</c> returns without an error. A terminator that fails, or
/// is stopped, does not; its failure policy applies as to any runnable.
/// </summary>
/// <remarks>It is a property of the class, so it holds in every placement (the supervisor reads it, not the child).</remarks>
[AttributeUsage(AttributeTargets.Class, Inherited = true, AllowMultiple = false)]
public sealed class TerminatesPipelineAttribute : Attribute
{
}
