namespace AkkaDns.Actors.Propagation;

/// <summary>A decision of <see cref="LagPolicy.Evaluate"/>: drain, re-admit, or an alert when the floor stops a drain.</summary>
public abstract record SupervisorDecision(DatacenterName Datacenter, string Why);
public sealed record DrainDecision(DatacenterName Datacenter, DrainReason Reason, string Why) : SupervisorDecision(Datacenter, Why);
public sealed record UndrainDecision(DatacenterName Datacenter, string Why) : SupervisorDecision(Datacenter, Why);
public sealed record FloorAlert(DatacenterName Datacenter, string Why) : SupervisorDecision(Datacenter, Why);
