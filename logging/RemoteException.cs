namespace Puma.Logging;

/// <summary>
/// An exception that happened in another process, rebuilt from its <see cref="PortableException"/>.
/// <see cref="Exception.Message"/> is the original message, <see cref="StackTrace"/> is the original
/// stack trace text, <see cref="RemoteType"/> the original type's full name, and <see cref="ToString"/>
/// returns the original's <c>ToString()</c> verbatim, so Serilog's exception rendering prints the
/// remote stack. <see cref="Exception.InnerException"/> is the first remote inner exception;
/// <see cref="RemoteInnerExceptions"/> lists all of them (several for an aggregate).
/// </summary>
/// <remarks>
/// <see cref="StackTrace"/> always returns the remote stack, even if this exception is thrown
/// locally; the local throw site is not recorded.
/// </remarks>
public sealed class RemoteException : Exception
{
    /// <summary>Rebuilds a remote exception from its portable form.</summary>
    /// <param name="portable">The portable form.</param>
    internal RemoteException(PortableException portable)
        : this(portable ?? throw new ArgumentNullException(nameof(portable)), Build(portable.InnerExceptions))
    {
    }

    private RemoteException(PortableException portable, RemoteException[] inner)
        : base(portable.Message, inner.Length > 0 ? inner[0] : null)
    {
        Portable = portable;
        RemoteInnerExceptions = inner;
        HResult = portable.HResult;
    }

    /// <summary>The portable form this exception was rebuilt from.</summary>
    internal PortableException Portable { get; }

    /// <summary>Full name of the original exception type.</summary>
    public string RemoteType => Portable.Type;

    /// <summary>All remote inner exceptions (the first is also <see cref="Exception.InnerException"/>).</summary>
    public IReadOnlyList<RemoteException> RemoteInnerExceptions { get; }

    /// <summary>The original stack trace text.</summary>
    public override string? StackTrace => Portable.StackTrace;

    /// <summary>The original exception's <c>ToString()</c> text.</summary>
    /// <returns>Type, message, inner exceptions and stack, as the original printed them.</returns>
    public override string ToString() => Portable.Text;

    private static RemoteException[] Build(IReadOnlyList<PortableException> inner)
    {
        if (inner.Count == 0)
            return Array.Empty<RemoteException>();

        var result = new RemoteException[inner.Count];
        for (var i = 0; i < result.Length; i++)
            result[i] = new RemoteException(inner[i]);

        return result;
    }
}
