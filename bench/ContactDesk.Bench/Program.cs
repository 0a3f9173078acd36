using ContactDesk.Data;
using ContactDesk.Tests.Infrastructure;

namespace ContactDesk.Bench;

public static class BenchProgram
{
    // dotnet run -c Release --project bench/ContactDesk.Bench -- emails [--backlog N]
    public static async Task<int> Main(string[] args)
    {
        var backlog = args.SkipWhile(a => a != "--backlog").Skip(1).Select(int.Parse).FirstOrDefault(10_000);
        if ((args.FirstOrDefault() ?? "emails") != "emails")
        {
            Console.Error.WriteLine("usage: ContactDesk.Bench emails [--backlog N]");
            return 2;
        }

        var sqliteFile = Path.Combine(Directory.CreateTempSubdirectory("contactdesk-bench-").FullName, "bench.db");
        var postgres = PostgresServer.Start(durable: true);
        var results = new[]
        {
            await EmailBenchmark.RunAsync(DatabaseProvider.Sqlite, $"Data Source={sqliteFile}", backlog),
            await EmailBenchmark.RunAsync(DatabaseProvider.Postgres, postgres.ConnectionString("bench_emails"), backlog),
        };

        Console.WriteLine("| database | emails | seconds | emails/s |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        foreach (var r in results)
        {
            Console.WriteLine($"| {r.Provider} | {r.Emails} | {r.Elapsed.TotalSeconds:F1} | {r.PerSecond:F0} |");
        }
        return 0;
    }
}
