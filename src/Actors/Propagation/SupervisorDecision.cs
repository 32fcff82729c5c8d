namespace AkkaDns.Actors.Propagation;

/// <summary>A decision of <see cref="LagPolicy.Evaluate"/>: drain, re-admit, or an alert when the floor stops a drain.</summary>
internal abstract record SupervisorDecision(DatacenterName Datacenter, string Why);
internal sealed record DrainDecision(DatacenterName Datacenter, DrainReason Reason, string Why) : SupervisorDecision(Datacenter, Why);
internal sealed record UndrainDecision(DatacenterName Datacenter, string Why) : SupervisorDecision(Datacenter, Why);
internal sealed record FloorAlert(DatacenterName Datacenter, string Why) : SupervisorDecision(Datacenter, Why);
