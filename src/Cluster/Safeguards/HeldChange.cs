using AkkaDns.Cluster.ZoneService;

namespace AkkaDns.Cluster.Safeguards;

/// <summary>Not an error of the request: the blast-radius guard held the change as <see cref="ChangeId"/> (HTTP 202
/// Accepted, the id in the body); it is applied once confirmed (<c>akkadns change confirm ID</c>).</summary>
internal sealed record HeldChange(string Message, string ChangeId, DateTimeOffset ExpiresAt) : ZoneError(Message);
