namespace Puma.Runtime.Map;

/// <summary>A process worker's share of a map: which kernel (type and configuration), which control block, which worker it is, its input and output.</summary>
/// <param name="KernelAssembly">Full path of the kernel type's assembly.</param>
/// <param name="KernelType">The kernel type's full name.</param>
/// <param name="KernelConfiguration">The kernel's configuration properties as a JSON object.</param>
/// <param name="ParentBaseDirectory">The parent's application directory, probed for the kernel's dependencies.</param>
/// <param name="Control">The control block's segment name.</param>
/// <param name="Worker">The worker's number in the map, 0-based.</param>
/// <param name="Input">The input array; null for a range.</param>
/// <param name="RangeStart">The first index of a range input.</param>
/// <param name="Output">The output array.</param>
internal sealed record MapJob(
    string KernelAssembly,
    string KernelType,
    string KernelConfiguration,
    string ParentBaseDirectory,
    string Control,
    int Worker,
    SharedOperand? Input,
    long RangeStart,
    SharedOperand Output);
