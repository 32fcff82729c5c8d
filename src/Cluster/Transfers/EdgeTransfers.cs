using System.Net;
using AkkaDns.Actors.Datacenters;
using AkkaDns.Actors.Transfers;
using AkkaDns.Resolver.Notify;
using AkkaDns.Resolver.Transfer;
using AkkaDns.Resolver.Tsig;
using AkkaDns.Resolver.Wire;
using Microsoft.Extensions.Logging;
using TsigNames = AkkaDns.Resolver.Tsig.TsigAlgorithms;

namespace AkkaDns.Cluster.Transfers;

/// <summary>
/// An edge's side of zone transfers: the IXFR history of what it serves (fed by its <see cref="DatacenterActor"/>),
/// the TSIG keys it verifies and signs with (the cluster's keys, from <see cref="TransferConfigView"/>), and the
/// NOTIFYs it sends to each zone's ALSO-NOTIFY targets once it serves a new serial.
/// </summary>
/// <remarks>
/// Every edge notifies, from its own DNS address, after it serves the version: a secondary whose primary is this
/// edge then finds the new serial when it asks for the SOA (a NOTIFY sent by the zones node could arrive before the
/// edge serves the version, and the secondary would see the old serial and wait for its refresh timer). A secondary
/// configured with one edge as its primary refuses the other edges' NOTIFYs; that costs a datagram each.
/// NOTIFYs are signed with the zone's first TSIG-ALLOW-AXFR key when it has one (as PowerDNS does), so a secondary
/// can require the key for NOTIFY as it does for the transfer.
/// </remarks>
internal sealed class EdgeTransfers : IServedZoneObserver, IAsyncDisposable
{
    private readonly TransferSettings _settings;
    private readonly NotifySender? _notify;
    private readonly ILogger _log;
    private readonly AkkaDns.Resolver.Serving.ZoneTable? _zones;
    private TransferConfigSnapshot _config;

    public EdgeTransfers(TransferSettings settings, TransferConfigView view, IPAddress notifySource, ILogger<EdgeTransfers> log,
        AkkaDns.Resolver.Serving.ZoneTable? zones = null)
    {
        _zones = zones;
        _settings = settings;
        _log = log;
        View = view;
        History = new ZoneHistoryTable(settings.IxfrHistory);
        StreamOptions = new TransferStreamOptions { MessageSize = settings.MessageBytes };
        if (notifySource.Equals(IPAddress.Any)) notifySource = IPAddress.Loopback;
        if (notifySource.Equals(IPAddress.IPv6Any)) notifySource = IPAddress.IPv6Loopback;
        _notify = settings.Notify
            ? new NotifySender(notifySource, new NotifyOptions
            {
                FirstInterval = settings.NotifyInterval, MaxInterval = settings.NotifyMaxInterval, Retries = settings.NotifyRetries,
            }, Report)
            : null;
        _config = view.Current;
        view.Changed += OnConfigChanged;
        Keys.Replace(ToKeys(_config));
        _expired = ExpiredIn(_config);
    }

    public TransferConfigView View { get; }
    public ZoneHistoryTable History { get; }
    public TsigKeyStore Keys { get; } = new();
    public TransferStreamOptions StreamOptions { get; }
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public long NotifiesAcknowledged => Interlocked.Read(ref _acked);
    public long NotifiesFailed => Interlocked.Read(ref _failed);
    private long _acked, _failed;

    /// <summary>Where an accepted NOTIFY for a secondary zone goes (the refresher singleton); null: nowhere yet.</summary>
    public Action<AkkaDns.Actors.Secondaries.SecondaryProtocol.SecondaryNotified>? NotifySink { get; set; }

    /// <summary>Secondary zones expired under the "stop" policy (X-AKKADNS-EXPIRED): answered SERVFAIL. Empty in the
    /// normal case, which keeps the answer path's check to one read.</summary>
    public IReadOnlySet<DnsName> Expired => _expired;
    private volatile IReadOnlySet<DnsName> _expired = new HashSet<DnsName>();

    private static IReadOnlySet<DnsName> ExpiredIn(TransferConfigSnapshot snapshot)
    {
        var set = new HashSet<DnsName>();
        foreach (var zone in snapshot.Zones)
            if (snapshot.Values(zone, TransferMetadata.Expired).Count > 0 && DnsName.TryParse(zone, null, out var name, out _)) set.Add(name!.ToLowerCase());
        return set;
    }

    /// <summary>A NOTIFY the query handler accepted (from a listed primary, with the right key): to the refresher.</summary>
    internal void Notified(DnsName zone, IPAddress from, uint? serial)
    {
        _log.LogInformation("NOTIFY for secondary zone {Zone} from {From} (serial {Serial}) accepted", zone, from, serial?.ToString() ?? "-");
        NotifySink?.Invoke(new AkkaDns.Actors.Secondaries.SecondaryProtocol.SecondaryNotified(AkkaDns.Actors.Zones.ZoneId.From(zone), from.ToString(), serial));
    }

    internal void NotifyRefused(DnsName zone, IPAddress? from, string why) =>
        _log.LogWarning("NOTIFY for {Zone} from {From} refused: {Why}", zone, from?.ToString() ?? "?", why);

    public void Serving(DnsName origin, uint serial, ServedDiff? diff)
    {
        if (diff is null) History.Reset(origin);
        else History.Record(origin, new ZoneDiff(diff.FromSoa, diff.ToSoa, diff.Deleted, diff.Added));
    }

    public void Served(DnsName origin, uint serial, bool changed)
    {
        if (!changed || _notify is null) return;
        var config = View.Current;
        var zone = origin.ToString();
        var targets = config.Values(zone, TransferMetadata.AlsoNotify);
        if (targets.Count == 0) return;
        var key = SigningKey(config, zone);
        foreach (var target in NotifyTargets.Parse(targets))
        {
            _notify.Notify(origin, serial, target, key);
            if (_settings.NotifyConfirm > TimeSpan.Zero) _ = ConfirmAsync(origin, serial, target, key);
        }
    }

    /// <summary>The serial each (zone, client address) last transferred from this edge up to: how a NOTIFY is known to
    /// have been acted on.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(DnsName Zone, IPAddress Client), uint> _fetched = new();

    /// <summary>Knot, for one, sets aside a NOTIFY that arrives while it finishes the previous refresh and takes the new
    /// serial about a second later. When the target has not transferred the serial after notify-confirm, it is told
    /// once more (a duplicate NOTIFY is harmless: the secondary asks for the SOA and finds nothing new, RFC 1996 §3.7).</summary>
    private async Task ConfirmAsync(DnsName zone, uint serial, IPEndPoint target, TsigKey? key)
    {
        try { await Task.Delay(_settings.NotifyConfirm, Clock); }
        catch (ObjectDisposedException) { return; }
        var client = target.Address.IsIPv4MappedToIPv6 ? target.Address.MapToIPv4() : target.Address;
        if (_fetched.TryGetValue((zone.ToLowerCase(), client), out var reached) && !SerialNumber.IsNewer(serial, reached)) return;
        if (_zones?.Get(zone) is { } served && served.Apex.Find(RecordType.SOA) is { } soa && SerialNumber.OfSoaRData(soa.RData(0)) != serial) return; // superseded
        _log.LogDebug("NOTIFY {Zone} serial {Serial} to {Target} once more: not transferred after {Wait} ms", zone, serial, target, _settings.NotifyConfirm.TotalMilliseconds);
        _notify?.Notify(zone, serial, target, key);
    }

    public void Removed(DnsName origin) => History.Reset(origin);

    /// <summary>New keys replace the old ones; a target newly listed in a zone's ALSO-NOTIFY is told the serial served
    /// now (without this, a secondary added after the last change would wait for its refresh timer).</summary>
    private void OnConfigChanged(TransferConfigSnapshot snapshot)
    {
        Keys.Replace(ToKeys(snapshot));
        _expired = ExpiredIn(snapshot);
        var before = Interlocked.Exchange(ref _config, snapshot);
        if (_notify is null || _zones is null) return;
        foreach (var zone in snapshot.Zones)
        {
            var added = snapshot.Values(zone, TransferMetadata.AlsoNotify).Except(before.Values(zone, TransferMetadata.AlsoNotify)).ToList();
            if (added.Count == 0 || !DnsName.TryParse(zone, null, out var origin, out _)) continue;
            if (_zones.Get(origin!) is not { } served || served.Apex.Find(RecordType.SOA) is not { } soa) continue;
            var key = SigningKey(snapshot, zone);
            foreach (var target in NotifyTargets.Parse(added)) _notify.Notify(origin!, SerialNumber.OfSoaRData(soa.RData(0)), target, key);
        }
    }

    /// <summary>The zone's first TSIG-ALLOW-AXFR key that exists, or null.</summary>
    private TsigKey? SigningKey(TransferConfigSnapshot config, string zone)
    {
        foreach (var name in config.Values(zone, TransferMetadata.TsigAllowAxfr))
            if (DnsName.TryParse(name, null, out var n, out _) && Keys.Find(n!.Wire) is { } key) return key;
        return null;
    }

    /// <summary>One line per transfer served: what kind, between which serials, to whom (key name, never the secret).</summary>
    internal void Served(string kind, DnsName zone, uint? clientSerial, uint serial, System.Net.IPAddress? client, string? key)
    {
        if (client is not null) _fetched[(zone.ToLowerCase(), client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client)] = serial;
        _log.LogInformation("transfer {Kind} of {Zone} (client serial {ClientSerial}, serial {Serial}) to {Client} key {Key}",
            kind, zone, clientSerial?.ToString() ?? "-", serial, client?.ToString() ?? "?", key ?? "none");
    }

    private void Report(NotifyOutcome o)
    {
        if (o.Acknowledged)
        {
            Interlocked.Increment(ref _acked);
            _log.LogDebug("NOTIFY {Zone} serial {Serial} to {Target} acknowledged after {Attempts} tries", o.Zone, o.Serial, o.Target, o.Attempts);
        }
        else
        {
            Interlocked.Increment(ref _failed);
            _log.LogWarning("NOTIFY {Zone} serial {Serial} to {Target} failed: {Problem}", o.Zone, o.Serial, o.Target, o.Problem);
        }
    }

    /// <summary>The cluster's keys as the resolver uses them; a key that does not decode is left out (the API refuses
    /// such keys, so this only guards against a damaged replica).</summary>
    internal static IEnumerable<TsigKey> ToKeys(TransferConfigSnapshot snapshot)
    {
        foreach (var k in snapshot.Keys.Values)
        {
            if (!TsigNames.TryParse(k.Algorithm, out var alg) || !DnsName.TryParse(k.Name, null, out var name, out _)) continue;
            byte[] secret;
            try { secret = k.SecretBytes(); } catch (FormatException) { continue; }
            yield return new TsigKey(name!, alg, secret);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_notify is not null) await _notify.DisposeAsync();
    }
}
