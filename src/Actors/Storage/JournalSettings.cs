namespace AkkaDns.Actors.Storage;

public enum JournalProvider
{
    /// <summary>An SQLite file: the embedded default for a single node (WAL mode, one writer).</summary>
    Sqlite,
    /// <summary>PostgreSQL 15 or later: for more than one node.</summary>
    PostgreSql,
}

/// <summary>
/// Where the journal and snapshots live. <see cref="Schema"/> (PostgreSQL only) puts the tables in their own schema,
/// created if missing: tests use it to keep runs apart.
/// </summary>
public sealed record JournalSettings(JournalProvider Provider, string ConnectionString, string? Schema = null)
{
    public static JournalSettings SqliteFile(string path) => new(JournalProvider.Sqlite, $"Data Source={path}");
    public static JournalSettings PostgreSql(string connectionString, string? schema = null) => new(JournalProvider.PostgreSql, connectionString, schema);

    /// <summary>The linq2db provider name Akka.Persistence.Sql expects.</summary>
    public string ProviderName => Provider switch
    {
        JournalProvider.Sqlite => "SQLite.MS",
        JournalProvider.PostgreSql => "PostgreSQL.15",
        _ => throw new ArgumentOutOfRangeException(nameof(Provider)),
    };
}
