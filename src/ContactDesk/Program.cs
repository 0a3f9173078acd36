using ContactDesk.Hosting;
using ContactDesk.Identity;
using ContactDesk.Operations;

// `ContactDesk healthcheck` asks the running server whether it is alive (a container's HEALTHCHECK).
if (HealthCheckCommand.IsCommand(args))
{
    return await HealthCheckCommand.RunAsync(args);
}

// `ContactDesk users create ...` is a command; anything else runs the web service.
var isCommand = UsersCommand.IsCommand(args);
var builder = WebApplication.CreateBuilder(AppFolder.Options(isCommand ? [] : args));
AppFolder.ServeProjectStaticFiles(builder);
if (isCommand)
{
    // A command prints only its own result; this console rule outranks the category levels in appsettings.
    builder.Logging.AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>(null, LogLevel.Warning);
}
builder.AddContactDesk();
var app = builder.Build();

if (isCommand)
{
    return await UsersCommand.RunAsync(app.Services, args);
}

app.UseContactDesk();
try
{
    await app.RunAsync();
}
catch (StartupFailedException)
{
    return 1; // already logged, in one line that says what to check
}
return 0;
