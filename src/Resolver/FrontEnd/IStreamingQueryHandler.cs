namespace AkkaDns.Resolver.FrontEnd;

/// <summary>
/// A handler that can answer some queries (zone transfers) with a stream of messages. Only the TCP front end asks;
/// UDP always goes through <see cref="IQueryHandler.Handle"/>.
/// </summary>
public interface IStreamingQueryHandler
{
    /// <summary>A stream for this query, or null when it is not one (the front end then calls
    /// <see cref="IQueryHandler.Handle"/>). Decide cheaply: every TCP query passes here first.</summary>
    IResponseStream? TryStartStream(ReadOnlySpan<byte> query, in QueryContext context);
}

/// <summary>The messages of one streamed response, written one at a time into the caller's buffer.</summary>
public interface IResponseStream : IDisposable
{
    /// <summary>Writes the next message into <paramref name="buffer"/> (at most 65535 bytes are used) and returns its
    /// length; 0 when the stream is done.</summary>
    int Next(Span<byte> buffer);
}
