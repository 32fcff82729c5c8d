using AkkaDns.Cluster.Tests.Node.Support;

namespace AkkaDns.Cluster.Tests.Operations;

/// <summary>A real node of its own for the operations tests, so counts (members, entities) are exact.</summary>
public sealed class OpsNode : IAsyncLifetime
{
    private readonly SharedNode _inner = new();

    public NodeProcess Node => _inner.Node;
    public HttpClient Http => _inner.Http;
    public HttpClient Anonymous { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _inner.InitializeAsync();
        Anonymous = _inner.Client(null);
    }

    public Task<AkkaDnsCli.Result> Cli(params string[] args) =>
        AkkaDnsCli.RunAsync([.. args, "--node", Node.Api.ToString(), "--api-key", Node.ApiKey]);

    public async Task DisposeAsync()
    {
        Anonymous?.Dispose();
        await _inner.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class OpsNodeCollection : ICollectionFixture<OpsNode>
{
    public const string Name = "operations node";
}
