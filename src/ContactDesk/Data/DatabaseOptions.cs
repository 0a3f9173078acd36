using System.ComponentModel.DataAnnotations;

namespace ContactDesk.Data;

public sealed class DatabaseOptions
{
    public const string Section = "Database";

    [Required]
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;
}

public enum DatabaseProvider { Sqlite, Postgres }
