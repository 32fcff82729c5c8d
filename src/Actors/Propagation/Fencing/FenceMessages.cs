namespace AkkaDns.Actors.Propagation.Fencing;

/// <summary>Edge → supervisor: may <paramref name="Datacenter"/> answer? <paramref name="Nonce"/> is the edge's own
/// monotonic time of asking, echoed back; only the edge reads it.</summary>
internal sealed record FenceProbe(DatacenterName Datacenter, long Nonce) : IPropagationMessage;

/// <summary>
/// Supervisor → edge: the datacenter serves (or is drained), answering the probe <paramref name="Nonce"/>.
/// <paramref name="LimitMs"/> ≥ 0: the datacenter lags and would be drained that many milliseconds from now, so the
/// grant lasts no longer (-1: no limit but the lease).
/// </summary>
internal sealed record FenceGrant(long Nonce, bool Serving, long LimitMs = -1) : IPropagationMessage;

/// <summary>Edge → edge: have you heard the supervisor lately?</summary>
internal sealed record PeerProbe(long Nonce) : IPropagationMessage;

/// <summary>Edge → edge: milliseconds since it last heard the supervisor (-1: never), answering <paramref name="Nonce"/>.</summary>
internal sealed record PeerReply(long Nonce, long SilenceMs) : IPropagationMessage;
