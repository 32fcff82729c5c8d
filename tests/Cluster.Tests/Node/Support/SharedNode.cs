using System.Net.Http.Headers;

namespace AkkaDns.Cluster.Tests.Node.Support;

/// <summary>One real node (SQLite in a temp folder, free ports) shared by the API and CLI tests; each test uses
/// zone names of its own so the tests stay independent.</summary>
public sealed class SharedNode : IAsyncLifetime
{
    public NodeProcess Node { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    public string DataDir { get; } = TempDir.Create("akkadns-api");

    public async Task InitializeAsync()
    {
        Node = await NodeProcess.StartAsync(DataDir);
        Http = Client(Node.ApiKey);
    }

    public HttpClient Client(string? key)
    {
        var http = new HttpClient { BaseAddress = Node.Api, Timeout = TimeSpan.FromSeconds(20) };
        if (key is not null) http.DefaultRequestHeaders.Add("X-API-Key", key);
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return http;
    }

    /// <summary>A zone name no other test (or earlier run on a shared journal) uses.</summary>
    public static string UniqueZone(string label) => $"{label}-{Guid.NewGuid():N}"[..Math.Min(40, label.Length + 13)] + ".example.";

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (Node is not null) await Node.DisposeAsync();
        TempDir.Delete(DataDir);
    }
}

[CollectionDefinition(Name)]
public sealed class SharedNodeCollection : ICollectionFixture<SharedNode>
{
    public const string Name = "shared akkadns node";
}

public static class TempDir
{
    public static string Create(string prefix)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    public static void Delete(string path)
    {
        try { Directory.Delete(path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
