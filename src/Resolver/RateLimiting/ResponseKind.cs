namespace AkkaDns.Resolver.RateLimiting;

/// <summary>What kind of response an answer is, for rate limiting (one bucket per source prefix and kind).</summary>
public enum ResponseKind : byte { Positive, NoData, NxDomain, Referral, Error }

internal static class ResponseKinds
{
    /// <summary>Classifies a finished response from its header alone (RCODE, AA, counts): no answer-path changes needed.</summary>
    public static ResponseKind Classify(ReadOnlySpan<byte> response)
    {
        if (response.Length < 12) return ResponseKind.Error;
        int rcode = response[3] & 0x0F;
        bool aa = (response[2] & 0x04) != 0;
        int an = (response[6] << 8) | response[7];
        int ns = (response[8] << 8) | response[9];
        return rcode switch
        {
            0 when an > 0 => ResponseKind.Positive,
            0 when !aa && ns > 0 => ResponseKind.Referral,
            0 => ResponseKind.NoData,
            3 => ResponseKind.NxDomain,
            _ => ResponseKind.Error,
        };
    }
}
