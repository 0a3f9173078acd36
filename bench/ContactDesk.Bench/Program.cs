using ContactDesk.Data;
using ContactDesk.Tests.Infrastructure;

namespace ContactDesk.Bench;

public static class BenchProgram
{
    private const string Usage = """
        usage: ContactDesk.Bench all [--tickets N] [--clients N] [--seconds S] [--backlog N] [--no-doc]
                                     [--reuse] [--only startup,reads,conversation,export,writes,plans,emails]
               ContactDesk.Bench emails [--backlog N]
               ContactDesk.Bench submit-fresh [--clients N] [--seconds S]
               ContactDesk.Bench inbound [--backlog N]
               ContactDesk.Bench kb-suggest [--articles N] [--clients N] [--seconds S]
               ContactDesk.Bench triage [--tickets N] [--seconds S]
        """;

    // dotnet run -c Release --project bench/ContactDesk.Bench -- all
    public static async Task<int> Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "all":
                var options = RunOptions.Parse(args);
                var report = await FullBenchmark.RunAsync(options);
                Console.WriteLine();
                Console.WriteLine(PerformanceDoc.ResultsTable(report));
                if (!options.WriteDoc)
                {
                    Console.WriteLine(PerformanceDoc.Plans(report));
                }
                else
                {
                    var path = PerformanceDoc.Write(report);
                    Console.WriteLine($"Wrote {path}");
                }
                return 0;
            case "emails":
                return await EmailsAsync(RunOptions.Parse(args));
            case "submit-fresh":
                return await SubmitFreshAsync(RunOptions.Parse(args));
            case "inbound":
                return await InboundBenchmark.RunAsync(args);
            case "kb-suggest":
                return await KbSuggestBenchmark.RunAsync(args);
            case "triage":
                return await TriageBenchmark.RunAsync(args);
            default:
                Console.Error.WriteLine(Usage);
                return 2;
        }
    }

    /// <summary>Only the submissions on a new database, on a cluster with PostgreSQL's default settings; prints, writes nothing.</summary>
    private static async Task<int> SubmitFreshAsync(RunOptions options)
    {
        var postgres = PostgresServer.Start(durable: true);
        await using var smtp = new SmtpSink();
        var result = await FreshDatabase.RunAsync(postgres, smtp, options);
        Console.WriteLine();
        Console.WriteLine(PerformanceDoc.SubmitTable([result]));
        return 0;
    }

    private static async Task<int> EmailsAsync(RunOptions options)
    {
        var backlog = options.EmailBacklog;
        var sqliteFile = Path.Combine(Directory.CreateTempSubdirectory("contactdesk-bench-").FullName, "bench.db");
        var postgres = PostgresServer.Start(durable: true);
        var results = new[]
        {
            await EmailBenchmark.RunAsync(DatabaseProvider.Sqlite, $"Data Source={sqliteFile}", backlog),
            await EmailBenchmark.RunAsync(DatabaseProvider.Postgres, postgres.ConnectionString("bench_emails"), backlog),
        };
        Console.WriteLine(PerformanceDoc.EmailTable(results));
        if (options.WriteDoc)
        {
            Console.WriteLine($"Wrote {PerformanceDoc.WriteEmails(results)}");
        }
        return 0;
    }
}
