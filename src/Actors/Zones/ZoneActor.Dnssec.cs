using Akka.Actor;

namespace AkkaDns.Actors.Zones;

public sealed partial class ZoneActor
{
    /// <summary>The zone's DNSSEC view, and its private key only when one key is asked for by id.</summary>
    private void ReceiveDnssec()
    {
        Command<GetDnssec>(q =>
        {
            var d = _state.Dnssec;
            var now = _settings.Clock.GetUtcNow();
            string? problem = null;
            var keys = d.Keys.Select(k =>
            {
                byte[]? privateKey = null;
                if (q.PrivateKeyOf == k.Id)
                {
                    try { privateKey = Dnssec.ExportPrivate(k); }
                    catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or InvalidOperationException) { problem = e.Message; }
                }
                return new KeyView(k.Id, k.Role, k.Algorithm, k.Flags, k.KeyTag, k.Bits, k.Dnskey, k.Phase, k.Created, k.PhaseSince, k.DsSeen, privateKey);
            }).ToList();
            Sender.Tell(new DnssecView(_state.Id, _state.Exists, d.Enabled, d.Nsec3, d.Nsec3Iterations, d.Nsec3Salt, d.OptOut, d.CdsDelete, keys,
                d.Enabled ? ZoneDnssec.EarliestExpiry(_state.Records, now) : null,
                ZoneDnssec.NextAction(_state, _settings.Dnssec, now), problem));
        });
    }

    /// <summary>Tells the catalog's <see cref="DnssecWatch"/> when this zone next needs its signer (fire and forget: a
    /// lost report is repaired when the watch pokes every zone at its next start, or at the zone's next change).</summary>
    private void ReportSigning()
    {
        if (!_state.Dnssec.Enabled && !_wasSigned) return;
        _wasSigned = _state.Dnssec.Enabled;
        var now = _settings.Clock.GetUtcNow();
        var expiry = _state.Dnssec.Enabled ? ZoneDnssec.EarliestExpiry(_state.Records, now) : null;
        _catalog.Tell(new DnssecWatchProtocol.SigningDue(_state.Id, ZoneDnssec.NextActionFrom(_state, _settings.Dnssec, expiry), expiry));
    }

    private bool _wasSigned = true; // after recovery, an unsigned zone reports once (clears a stale entry in the watch)
}
