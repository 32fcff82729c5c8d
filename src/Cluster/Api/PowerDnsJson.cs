using System.Text.Json;
using System.Text.Json.Serialization;

namespace AkkaDns.Cluster.Api;

// The JSON shapes of the PowerDNS Authoritative HTTP API (v1) that AkkaDns speaks, so that clients written for
// PowerDNS (external-dns, octoDNS, Terraform's powerdns provider, cert-manager webhooks) work unchanged.
// Property names are snake_case like PowerDNS's; unknown fields in requests are ignored, as PowerDNS does.

public sealed record RecordJson
{
    public string? Content { get; init; }
    public bool Disabled { get; init; }
}

public sealed record RRsetJson
{
    public string? Name { get; init; }
    public string? Type { get; init; }
    public uint? Ttl { get; init; }
    /// <summary>REPLACE or DELETE in a PATCH; absent when listing or creating.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Changetype { get; init; }
    public List<RecordJson>? Records { get; init; }
    public List<JsonElement>? Comments { get; init; }
}

/// <summary>A zone as PowerDNS shows it. <see cref="Rrsets"/> is null in the list form.</summary>
public sealed record ZoneJson
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public string Type { get; init; } = "Zone";
    public string Url { get; init; } = "";
    public string Kind { get; init; } = "Native";
    public uint Serial { get; init; }
    public uint NotifiedSerial { get; init; }
    public uint EditedSerial { get; init; }
    /// <summary>Our zone version (every change bumps it by one); not a PowerDNS field.</summary>
    public long Version { get; init; }
    public List<string> Masters { get; init; } = [];
    public bool Dnssec { get; init; }
    public string Account { get; init; } = "";
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<RRsetJson>? Rrsets { get; init; }
}

/// <summary>Body of POST …/zones: PowerDNS fields plus our optional <see cref="Zone"/> (master-file text to import).</summary>
public sealed record CreateZoneJson
{
    public string? Name { get; init; }
    public string? Kind { get; init; }
    public List<string>? Nameservers { get; init; }
    public List<RRsetJson>? Rrsets { get; init; }
    public string? Zone { get; init; }
    /// <summary>A Slave zone's primaries ("addr" or "addr:port").</summary>
    public List<string>? Masters { get; init; }
    /// <summary>PowerDNS's field: the key a Slave zone's transfer requests are signed with (AXFR-MASTER-TSIG).</summary>
    public List<string>? MasterTsigKeyIds { get; init; }
    /// <summary>Our extension for a Slave zone: "stop" or "serve" when its SOA expire passes (X-AKKADNS-EXPIRE).</summary>
    public string? ExpirePolicy { get; init; }
}

public sealed record PatchZoneJson
{
    public List<RRsetJson>? Rrsets { get; init; }
}

public sealed record HistoryEntryJson(long Version, uint Serial, DateTimeOffset At, string Change, string Detail, string Who);

public sealed record ErrorJson(string Error, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] List<string>? Errors = null);

public sealed record ServerJson(string Type, string Id, string DaemonType, string Version, string Url, string ZonesUrl);

public static class ApiJson
{
    /// <summary>PowerDNS naming on the wire; case-insensitive and lenient on input.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        PropertyNameCaseInsensitive = true,
        WriteIndented = false,
        // Error messages quote names and record data: keep ' " < > readable instead of \u0027-escaped.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
