using System.Net;

namespace AkkaDns.Resolver.FrontEnd;

public enum Transport : byte { Udp, Tcp }

/// <summary>
/// What the front end knows about one query besides its bytes. A cheap struct: the remote address is the
/// listener's reused <see cref="SocketAddress"/> (valid only during the Handle call; copy it to keep it),
/// there for later per-client work such as response rate limiting.
/// </summary>
public readonly record struct QueryContext(Transport Transport)
{
    /// <summary>The client's address, or null when unknown (tests, tools).</summary>
    public SocketAddress? RemoteAddress { get; init; }
}

/// <summary>
/// Turns one query message into one response message, written into <c>response</c>.
/// Returns the response length, or -1 when the packet must be dropped without answer.
/// Must never throw for any input and must not allocate in the steady state.
/// </summary>
public interface IQueryHandler
{
    int Handle(ReadOnlySpan<byte> query, Span<byte> response, in QueryContext context);
}
