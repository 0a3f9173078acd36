using System.Net.Http.Json;
using System.Text.Json;
using ContactDesk.Tests.Infrastructure;

namespace ContactDesk.Tests.Operations;

/// <summary>
/// Contract §1: the default database is <c>data/contactdesk.db</c> and mail goes to <c>data/mail/</c>:
/// relative to the folder the program is started in, wherever the program itself is. The log says
/// where, in full; with <c>Logging__Console__FormatterName=json</c> every line of it is a JSON object.
/// </summary>
public sealed class DataLocationTests
{
    [Fact]
    public async Task Started_from_another_folder_the_app_keeps_its_data_there_and_logs_the_absolute_paths_as_JSON_lines()
    {
        var folder = Directory.CreateTempSubdirectory("contactdesk-cwd-").FullName;
        try
        {
            var environment = new Dictionary<string, string>
            {
                ["RateLimiting__Submit__PermitLimit"] = "0",
                ["Logging__Console__FormatterName"] = "json",
                ["Logging__LogLevel__Default"] = "Information",
            };
            await using (var app = await AppProcess.StartAsync(environment, workingDirectory: folder))
            {
                var response = await app.CreateClient().PostAsJsonAsync("/api/v1/contact/submit",
                    new { name = "Where", email = "where@example.com", subject = "Data folder", message = "Where does this go?", category = "general" });
                Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
                await CrashTests.WaitUntilAsync(() => Task.FromResult(
                    Directory.Exists(Path.Combine(folder, "data", "mail")) && Directory.GetFiles(Path.Combine(folder, "data", "mail"), "*.eml").Length > 0),
                    "no .eml file in the working directory's data/mail");
                await app.StopAsync();

                Assert.True(File.Exists(Path.Combine(folder, "data", "contactdesk.db")), $"no database in {folder}/data: {app.Output}");
                Assert.False(File.Exists(Path.Combine(AppContext.BaseDirectory, "data", "contactdesk.db")) &&
                    File.GetLastWriteTimeUtc(Path.Combine(AppContext.BaseDirectory, "data", "contactdesk.db")) > DateTime.UtcNow.AddMinutes(-1),
                    "the database was written next to the program");

                var lines = app.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                var entries = lines.Select(line => JsonDocument.Parse(line).RootElement).ToList(); // throws on a line that is not JSON
                var data = entries.Single(e => e.GetProperty("Message").GetString()!.StartsWith("Data: "));
                var message = data.GetProperty("Message").GetString()!;
                Assert.Equal("Information", data.GetProperty("LogLevel").GetString());
                Assert.Contains($"SQLite file {Path.Combine(folder, "data", "contactdesk.db")}", message);
                Assert.Contains($"written as .eml files to {Path.Combine(folder, "data", "mail")}", message);
                Assert.Contains($"working directory {folder}", message);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
