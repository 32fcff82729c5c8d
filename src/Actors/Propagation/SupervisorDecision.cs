namespace AkkaDns.Actors.Propagation;

/// <summary>A decision of <see cref="LagPolicy.Evaluate"/>: drain, re-admit, or an alert when the floor stops a drain.</summary>
public abstract record SupervisorDecision(string Datacenter, string Why);
public sealed record DrainDecision(string Datacenter, DrainReason Reason, string Why) : SupervisorDecision(Datacenter, Why);
public sealed record UndrainDecision(string Datacenter, string Why) : SupervisorDecision(Datacenter, Why);
public sealed record FloorAlert(string Datacenter, string Why) : SupervisorDecision(Datacenter, Why);
