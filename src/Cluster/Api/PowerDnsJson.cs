using System.Text.Json;
using System.Text.Json.Serialization;

namespace AkkaDns.Cluster.Api;

// The JSON shapes of the PowerDNS Authoritative HTTP API (v1) that AkkaDns speaks, so that clients written for
// PowerDNS (external-dns, octoDNS, Terraform's powerdns provider, cert-manager webhooks) work unchanged.
// Property names are snake_case like PowerDNS's; unknown fields in requests are ignored, as PowerDNS does.

internal sealed record RecordJson
{
    public string? Content { get; init; }
    public bool Disabled { get; init; }
}

internal sealed record RRsetJson
{
    public string? Name { get; init; }
    public string? Type { get; init; }
    public uint? Ttl { get; init; }
    /// <summary>REPLACE or DELETE in a PATCH; absent when listing or creating.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Changetype { get; init; }
    public List<RecordJson>? Records { get; init; }
    /// <summary>Absent in a REPLACE: the RRset's comments are kept; present: they are replaced (PowerDNS's rule).</summary>
    public List<CommentJson>? Comments { get; init; }
}

/// <summary>A comment on an RRset (PowerDNS: content, account, modified_at in Unix seconds).</summary>
internal sealed record CommentJson
{
    public string? Content { get; init; }
    public string? Account { get; init; }
    public long ModifiedAt { get; init; }
}

/// <summary>A zone as PowerDNS shows it. <see cref="Rrsets"/> is null in the list form.</summary>
internal sealed record ZoneJson
{
    public string Id { get; init; } = "";
    public string Name { get; init; } = "";
    public string Type { get; init; } = "Zone";
    public string Url { get; init; } = "";
    public string Kind { get; init; } = "Native";
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<RRsetJson>? Rrsets { get; init; }
    public uint Serial { get; init; }
    public uint NotifiedSerial { get; init; }
    public uint EditedSerial { get; init; }
    /// <summary>Our zone version (every change bumps it by one); not a PowerDNS field.</summary>
    public long Version { get; init; }
    public List<string> Masters { get; init; } = [];
    public bool Dnssec { get; init; }
    public string Nsec3param { get; init; } = "";
    public bool Nsec3narrow { get; init; }
    public bool Presigned { get; init; }
    public string SoaEdit { get; init; } = "";
    public string SoaEditApi { get; init; } = "DEFAULT";
    public bool ApiRectify { get; init; }
    public string Catalog { get; init; } = "";
    public string Account { get; init; } = "";
    public List<string> MasterTsigKeyIds { get; init; } = [];
    public List<string> SlaveTsigKeyIds { get; init; } = [];
    /// <summary>Unix time of a secondary's last SOA check; 0 for a primary (as PowerDNS).</summary>
    public long LastCheck { get; init; }
}

/// <summary>Body of PUT …/zones/{zone}: the zone settings PowerDNS lets change; any other field is ignored.</summary>
internal sealed record ZoneSettingsJson
{
    public string? Kind { get; init; }
    public List<string>? Masters { get; init; }
    public string? Account { get; init; }
    public string? SoaEdit { get; init; }
    public string? SoaEditApi { get; init; }
    public bool? ApiRectify { get; init; }
    public bool? Dnssec { get; init; }
    public string? Nsec3param { get; init; }
    public bool? Nsec3narrow { get; init; }
    public string? Catalog { get; init; }
    public List<string>? MasterTsigKeyIds { get; init; }
}

/// <summary>GET /api: the API versions this server speaks.</summary>
internal sealed record ApiVersionJson(string Url, int Version);

/// <summary>An item of …/config (ConfigSetting) or …/statistics (StatisticItem).</summary>
internal sealed record SettingJson(string Name, string Type, string Value);

/// <summary>One hit of …/search-data: object_type zone, record or comment; fields not used by a type are left out.</summary>
internal sealed record SearchResultJson
{
    public string ObjectType { get; init; } = "";
    public string Name { get; init; } = "";
    public string ZoneId { get; init; } = "";
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Zone { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Type { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Content { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public uint? Ttl { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public bool? Disabled { get; init; }
}

/// <summary>Body of POST …/zones: PowerDNS fields plus our optional <see cref="Zone"/> (master-file text to import).</summary>
internal sealed record CreateZoneJson
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
    public string? Account { get; init; }
    public string? SoaEdit { get; init; }
    public string? SoaEditApi { get; init; }
    public bool? ApiRectify { get; init; }
    public bool? Dnssec { get; init; }
    public string? Nsec3param { get; init; }
    public string? Catalog { get; init; }
    /// <summary>Our extension for a Slave zone: "stop" or "serve" when its SOA expire passes (X-AKKADNS-EXPIRE).</summary>
    public string? ExpirePolicy { get; init; }
}

internal sealed record PatchZoneJson
{
    public List<RRsetJson>? Rrsets { get; init; }
}

internal sealed record HistoryEntryJson(long Version, uint Serial, DateTimeOffset At, string Change, string Detail, string Who);

internal sealed record ErrorJson(string Error, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] List<string>? Errors = null);

/// <summary>GET …/servers/localhost. <see cref="Version"/> is the PowerDNS API level emulated, major.minor.patch as
/// clients parse it (octoDNS, lego's successors); <see cref="AkkadnsVersion"/> is ours.</summary>
internal sealed record ServerJson(string Type, string Id, string DaemonType, string Version, string Url, string ConfigUrl, string ZonesUrl, string AkkadnsVersion);

internal static class ApiJson
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
