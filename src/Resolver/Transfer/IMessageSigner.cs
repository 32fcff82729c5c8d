namespace AkkaDns.Resolver.Transfer;

/// <summary>
/// Signs one finished response message in place (TSIG, RFC 8945). The transfer streams know nothing of keys:
/// they leave <see cref="MaxOverhead"/> bytes free at the end of every message and call <see cref="Sign"/> on it.
/// </summary>
public interface IMessageSigner
{
    /// <summary>The most bytes <see cref="Sign"/> may append.</summary>
    int MaxOverhead { get; }

    /// <summary>Appends a signature record to <c>buffer[..length]</c>, bumps ARCOUNT, returns the new length or -1.</summary>
    int Sign(Span<byte> buffer, int length);
}
