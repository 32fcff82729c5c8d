using AkkaDns.Resolver.Tsig;
using AkkaDns.Resolver.Wire;
using TsigCodec = AkkaDns.Resolver.Tsig.Tsig; // inside AkkaDns.Resolver.*, "Tsig" names the namespace

namespace AkkaDns.Resolver.Answering;

/// <summary>The TSIG step of the answer path (choices listed in <see cref="Answerer"/>'s remarks).</summary>
public sealed partial class Answerer
{
    private static readonly TsigKeyStore NoKeys = new();

    /// <summary>
    /// Verifies the TSIG of a query that has one. Returns what signing the response needs, or null when the
    /// response goes unsigned: then <paramref name="screen"/> says FORMERR (misplaced or malformed TSIG) or keeps
    /// an earlier verdict (a query already refused by screening is not verified).
    /// </summary>
    private TsigRequest? CheckTsig(ReadOnlySpan<byte> query, in ParsedQuery q, ref QueryScreen screen)
    {
        if (screen is QueryScreen.Drop or QueryScreen.FormErr) return null;
        if (q.TsigElsewhere || !q.TsigIsLast) { screen = QueryScreen.FormErr; return null; }
        var request = TsigCodec.VerifyRequest(query, Options.Keyring ?? NoKeys, Now());
        if (request.Status is TsigStatus.FormErr or TsigStatus.Unsigned) { screen = QueryScreen.FormErr; return null; }
        if (request.Status != TsigStatus.Ok) screen = QueryScreen.Ok; // NOTAUTH with the TSIG error, whatever else was wrong
        return request;
    }

    private int SignResponse(Span<byte> response, int length, TsigRequest request)
        => length < 0 ? length : TsigCodec.SignResponse(response, length, request, Now());

    private DateTimeOffset Now() => (Options.Clock ?? TimeProvider.System).GetUtcNow();
}
