using System.Data.Common;
using Akka.Configuration;
using AkkaDns.Actors.Storage;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace AkkaDns.Actors.Tests.Support;

/// <summary>A journal database of its own for one test: an SQLite temp file, or a PostgreSQL schema.</summary>
public abstract class TestJournal : IDisposable
{
    public abstract JournalSettings Settings { get; }

    /// <summary>Qualified table name (schema prefix on PostgreSQL).</summary>
    public abstract string Table(string name);

    public abstract DbConnection Open();

    /// <summary>The full configuration of a test actor system on this journal (test.conf over the defaults).</summary>
    public Config ActorSystemConfig() =>
        ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "test.conf")))
            .WithFallback(PersistenceConfig.For(Settings));

    public List<object?[]> Query(string sql)
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        using var reader = cmd.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (int i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    public abstract void Dispose();
}

public sealed class SqliteTestJournal : TestJournal
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"akkadns-test-{Guid.NewGuid():N}.db");

    public SqliteTestJournal()
    {
        Settings = JournalSettings.SqliteFile(_path);
        PersistenceConfig.Prepare(Settings);
    }

    public override JournalSettings Settings { get; }
    public override string Table(string name) => name;
    public override DbConnection Open() { var c = new SqliteConnection(Settings.ConnectionString); c.Open(); return c; }

    public override void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
            try { File.Delete(_path + suffix); } catch (IOException) { }
    }
}

/// <summary>
/// PostgreSQL from AKKADNS_TEST_PG (default: what scripts/pg-up.sh prints), in a schema unique to this test,
/// dropped afterwards. Unreachable PostgreSQL fails the test with a message saying how to start it.
/// </summary>
public sealed class PostgreSqlTestJournal : TestJournal
{
    public const string DefaultConnection = "Host=127.0.0.1;Port=5432;Database=akkadns_test;Username=akkadns;Password=akkadns";
    private readonly string _schema = "t_" + Guid.NewGuid().ToString("N")[..16];

    public PostgreSqlTestJournal()
    {
        var cs = Environment.GetEnvironmentVariable("AKKADNS_TEST_PG") is { Length: > 0 } env ? env : DefaultConnection;
        Settings = JournalSettings.PostgreSql(cs, _schema);
        try { PersistenceConfig.Prepare(Settings); }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            throw new InvalidOperationException(
                $"PostgreSQL is not reachable with '{cs}' ({e.Message}). Start it with scripts/pg-up.sh, or set AKKADNS_TEST_PG.", e);
        }
    }

    public override JournalSettings Settings { get; }
    public override string Table(string name) => $"\"{_schema}\".\"{name}\"";
    public override DbConnection Open() { var c = new NpgsqlConnection(Settings.ConnectionString); c.Open(); return c; }

    public override void Dispose()
    {
        try
        {
            using var c = Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = $"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE";
            cmd.ExecuteNonQuery();
        }
        catch (NpgsqlException) { }
        NpgsqlConnection.ClearAllPools();
    }
}
