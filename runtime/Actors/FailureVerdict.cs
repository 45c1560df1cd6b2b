namespace Puma.Runtime.Actors;

/// <summary>What <see cref="PumaSupervisorStrategy"/> decided for a failed runnable.</summary>
internal enum FailureVerdict
{
    /// <summary>Restart it: its restart budget allows one more.</summary>
    Restart,

    /// <summary>Stop it and let the others run (<see cref="FailurePolicy.Continue"/>).</summary>
    StopOne,

    /// <summary>Stop it and stop the others (<see cref="FailurePolicy.StopAll"/>, or a spent restart budget).</summary>
    StopAll,
}
