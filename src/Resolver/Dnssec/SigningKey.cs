namespace AkkaDns.Resolver.Dnssec;

/// <summary>
/// A key and the roles it plays in one signing run. Roles: CSK = <see cref="SignsZone"/> &amp;&amp; <see cref="SignsKeys"/>;
/// KSK = SignsKeys only; ZSK = SignsZone only. Pre-published key: <see cref="Published"/> &amp;&amp; !SignsZone &amp;&amp; !SignsKeys
/// (its DNSKEY is served, it signs nothing). A key that is not published signs nothing either: a validator could not
/// find it.
/// </summary>
public sealed record SigningKey(DnssecKey Key, bool SignsZone, bool SignsKeys, bool Published = true)
{
    internal bool Signs(bool keyRole) => Published && (keyRole ? SignsKeys : SignsZone);
}
