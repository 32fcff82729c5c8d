using Npgsql;

namespace AkkaDns.Cluster.Tests.Node.Support;

/// <summary>
/// A fresh PostgreSQL database for one test, created from the server scripts/pg-up.sh starts (AKKADNS_TEST_PG
/// overrides the connection string) and dropped afterwards, so no run sees another run's journal or catalog.
/// </summary>
public sealed class PgDatabase : IAsyncDisposable
{
    public const string DefaultServer = "Host=127.0.0.1;Port=5432;Database=akkadns_test;Username=akkadns;Password=akkadns";

    private readonly string _admin;
    private readonly string _name;

    private PgDatabase(string admin, string name, string connectionString) { _admin = admin; _name = name; ConnectionString = connectionString; }

    public string ConnectionString { get; }

    public static async Task<PgDatabase> CreateAsync()
    {
        var admin = Environment.GetEnvironmentVariable("AKKADNS_TEST_PG") is { Length: > 0 } pg ? pg : DefaultServer;
        var name = $"akkadns_host_{Guid.NewGuid():N}"[..30];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new PgDatabase(admin, name, builder.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
