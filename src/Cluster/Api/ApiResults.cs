using AkkaDns.Cluster.ZoneService;
using Microsoft.AspNetCore.Http;

namespace AkkaDns.Cluster.Api;

/// <summary>Every error the API returns is JSON <c>{"error": "…"}</c> with a status that says whose fault it is.</summary>
internal static class ApiResults
{
    /// <summary>PowerDNS sends exactly this (no charset parameter); some clients compare the header as a string.</summary>
    public const string ContentType = "application/json";

    public static IResult Error(int status, string message, List<string>? errors = null) =>
        Results.Json(new ErrorJson(message, errors), ApiJson.Options, ContentType, status);

    public static IResult BadRequest(string message) => Error(StatusCodes.Status400BadRequest, message);
    public static IResult Unprocessable(string message) => Error(StatusCodes.Status422UnprocessableEntity, message);

    public static int StatusOf(ZoneError error) => error switch
    {
        ZoneError.NotFound => StatusCodes.Status404NotFound,
        ZoneError.Invalid => StatusCodes.Status422UnprocessableEntity,
        ZoneError.Conflict => StatusCodes.Status409Conflict,
        ZoneError.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static IResult From(ZoneError error) => error is Safeguards.HeldChange held
        ? Json(new HeldChangeJson(held.ChangeId, "held", held.Message, held.ExpiresAt), StatusCodes.Status202Accepted)
        : Error(StatusOf(error), error.Message, error is ZoneError.Invalid { Problems: { Count: > 0 } p } ? [.. p] : null);

    public static IResult Json<T>(T value, int status = StatusCodes.Status200OK) => Results.Json(value, ApiJson.Options, ContentType, status);

    public static IResult TooLarge(long limit) =>
        Error(StatusCodes.Status413PayloadTooLarge, $"request body larger than {limit} bytes: nothing was changed");
}
