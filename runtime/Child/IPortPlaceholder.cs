using Puma.Runtime.Wire;

namespace Puma.Runtime.Child;

/// <summary>
/// The default port attachment in a child until the runtime attaches real buffers: a channel end that
/// remembers its <see cref="PortBinding"/> and throws when used.
/// </summary>
internal interface IPortPlaceholder
{
    /// <summary>The binding this placeholder stands for.</summary>
    PortBinding Binding { get; }
}
