namespace AkkaDns.Cluster.ZoneService;

/// <summary>Why a zone request was refused. Each kind maps to one HTTP status and one CLI exit code.</summary>
internal abstract record ZoneError(string Message)
{
    /// <summary>No such zone (HTTP 404).</summary>
    public sealed record NotFound(string Message) : ZoneError(Message);

    /// <summary>The request breaks a zone rule or cannot be read (HTTP 422); <see cref="Problems"/> lists each
    /// broken rule with the record it concerns.</summary>
    public sealed record Invalid(string Message, IReadOnlyList<string>? Problems = null) : ZoneError(Message);

    /// <summary>The request conflicts with the current state, e.g. the zone already exists (HTTP 409).</summary>
    public sealed record Conflict(string Message) : ZoneError(Message);

    /// <summary>The cluster did not answer in time or is not ready (HTTP 503). Nothing is known to have changed.</summary>
    public sealed record Unavailable(string Message) : ZoneError(Message);

    public static ZoneError ZoneNotFound(string zone) => new NotFound($"zone '{zone}' not found");
}
