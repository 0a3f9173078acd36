using ContactDesk.Hosting;
using ContactDesk.Identity;

// `ContactDesk users create ...` is a command; anything else runs the web service.
var isCommand = UsersCommand.IsCommand(args);
var builder = WebApplication.CreateBuilder(isCommand ? [] : args);
if (isCommand)
{
    builder.Logging.SetMinimumLevel(LogLevel.Warning); // a command prints only its own result
}
builder.AddContactDesk();
var app = builder.Build();

if (isCommand)
{
    return await UsersCommand.RunAsync(app.Services, args);
}

app.UseContactDesk();
await app.RunAsync();
return 0;
