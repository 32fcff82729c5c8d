using AkkaDns.Resolver.Wire;

namespace AkkaDns.Resolver.Answering;

/// <summary>Everything one response is built from, on the stack: the writer, section counts, flags, and the
/// RRsets whose targets need additional-section addresses.</summary>
internal ref struct ResponseState
{
    public ResponseWriter W;
    public ParsedQuery Query;
    public (int Position, int Names) AfterQuestion;
    public ushort Rcode;
    public bool Aa, Tc, ClearRd;
    /// <summary>Extended DNS Error info-code to add to the OPT (0: none).</summary>
    public ushort Ede;
    public int An, Ns, Ar;
    public int MaxUdpPayload;
    public RRsetList AdditionalSources;
    public int AdditionalCount;
    public NodeList Visited;
    public int VisitedCount;
    /// <summary>DO=1 and the zone is signed: RRSIGs and denial proofs go with the answer.</summary>
    public bool Dnssec;
    /// <summary>The delegation a referral points to: glue for its in-domain name servers must fit, or TC (RFC 9471 §3.1).</summary>
    public Serving.ZoneNode? Cut;
    /// <summary>The NSEC/NSEC3 nodes to write in the authority section (each once).</summary>
    public NodeList Proofs;
    public int ProofCount;

    public ResponseState(ResponseWriter writer, in ParsedQuery query, int maxUdpPayload)
    {
        W = writer; Query = query; MaxUdpPayload = maxUdpPayload;
    }

    /// <summary>RFC 2181 §9: the required data does not fit; send TC=1 with the sections empty (as knotd) so
    /// the client retries over TCP.</summary>
    public void Truncate()
    {
        W.Rollback(AfterQuestion);
        An = Ns = Ar = 0;
        AdditionalCount = 0;
        ProofCount = 0;
        Tc = true;
    }
}
