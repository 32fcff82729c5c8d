using System.Text.Json;
using Akka.Configuration;
using Akka.Persistence.Sql;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace AkkaDns.Actors.Storage;

/// <summary>
/// Turns <see cref="JournalSettings"/> into the persistence part of the actor system's configuration, and prepares
/// the database (SQLite WAL mode, PostgreSQL schema). The one place the host and the tests set up storage.
/// </summary>
public static class PersistenceConfig
{
    private static readonly string[] PluginPaths =
    [
        "akka.persistence.journal.sql",
        "akka.persistence.snapshot-store.sql",
        "akka.persistence.query.journal.sql",
    ];

    /// <summary>
    /// The complete configuration: the connection from <paramref name="settings"/>, over config/akkadns.conf
    /// (<paramref name="defaults"/>, loaded when null), over the SQL plugin's own defaults, which must be a fallback
    /// or entities never start ("Plugin class name must be defined").
    /// </summary>
    public static Config For(JournalSettings settings, Config? defaults = null) =>
        Overlay(settings)
            .WithFallback(defaults ?? AkkaDnsConfig.LoadDefaults())
            .WithFallback(SqlPersistence.DefaultConfiguration);

    /// <summary>Only the keys that <paramref name="settings"/> decides (connection, provider, schema), for hosts that
    /// assemble their configuration themselves (prepend it, then add <see cref="SqlPersistence.DefaultConfiguration"/>
    /// as a fallback).</summary>
    public static Config Overlay(JournalSettings settings)
    {
        // Values are typed settings, not configuration text: each is written as a quoted HOCON (JSON) string.
        var lines = new List<string>();
        foreach (var path in PluginPaths)
        {
            lines.Add($"{path}.connection-string = {Quote(settings.ConnectionString)}");
            lines.Add($"{path}.provider-name = {Quote(settings.ProviderName)}");
            if (settings.Schema is { } schema) lines.Add($"{path}.default.schema-name = {Quote(schema)}");
        }
        return ConfigurationFactory.ParseString(string.Join("\n", lines));
    }

    /// <summary>
    /// Prepares the database once, before the actor system starts: for SQLite, creates the folder and turns the file
    /// to WAL mode (kept in the file; roughly doubles persist throughput); for PostgreSQL with a schema, creates it.
    /// </summary>
    public static void Prepare(JournalSettings settings)
    {
        switch (settings.Provider)
        {
            case JournalProvider.Sqlite:
            {
                var builder = new SqliteConnectionStringBuilder(settings.ConnectionString);
                if (!string.IsNullOrEmpty(builder.DataSource) && builder.DataSource != ":memory:" && Path.GetDirectoryName(Path.GetFullPath(builder.DataSource)) is { } dir)
                    Directory.CreateDirectory(dir);
                using var connection = new SqliteConnection(settings.ConnectionString);
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA journal_mode=WAL;";
                command.ExecuteNonQuery();
                break;
            }
            case JournalProvider.PostgreSql when settings.Schema is { } schema:
            {
                using var connection = new NpgsqlConnection(settings.ConnectionString);
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = $"CREATE SCHEMA IF NOT EXISTS \"{schema.Replace("\"", "\"\"")}\"";
                command.ExecuteNonQuery();
                break;
            }
        }
    }

    private static string Quote(string value) => JsonSerializer.Serialize(value);
}
