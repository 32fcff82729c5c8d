using System.Runtime.CompilerServices;
using AkkaDns.Resolver.Serving;

namespace AkkaDns.Resolver.Answering;

/// <summary>Fixed-size, stack-held lists of references used while answering one query (no heap allocation).</summary>
[InlineArray(Capacity)]
internal struct RRsetList
{
    public const int Capacity = 8;
    private CompiledRRset? _first;
}

[InlineArray(Capacity)]
internal struct NodeList
{
    public const int Capacity = 16;
    private ZoneNode? _first;
}
