namespace AkkaDns.Resolver.Serving;

/// <summary>
/// Something a <see cref="NameIndex{T}"/> finds by name (a zone's node, a zone in the table): the name's wire form
/// lives in the object, so the index's slots hold only a hash and the object (16 bytes, not 24: in a zone of 1M
/// records about 1.7 slots per name). A field of a base class, not an interface, so the shared generic code of the
/// index reads it without a dispatch.
/// </summary>
public abstract class IndexedByName
{
    /// <summary>Uncompressed wire form, case as given.</summary>
    private protected byte[] IndexName = [];

    internal byte[] NameForIndex => IndexName;
}
