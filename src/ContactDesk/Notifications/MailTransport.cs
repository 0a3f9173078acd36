using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace ContactDesk.Notifications;

/// <summary>Where a batch of emails goes: one SMTP connection for the whole batch, or the pickup folder.</summary>
public interface IMailConnection : IAsyncDisposable
{
    Task SendAsync(MimeMessage message, CancellationToken ct);
}

public static class MailTransport
{
    public static async Task<IMailConnection> OpenAsync(EmailOptions options, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(options.Smtp.Host))
        {
            Directory.CreateDirectory(options.PickupDirectory);
            return new PickupFolder(options.PickupDirectory);
        }
        var client = new SmtpClient { Timeout = 30_000 };
        try
        {
            await client.ConnectAsync(options.Smtp.Host, options.Smtp.Port,
                options.Smtp.UseTls ? SecureSocketOptions.StartTls : SecureSocketOptions.None, ct);
            if (!string.IsNullOrEmpty(options.Smtp.Username))
            {
                await client.AuthenticateAsync(options.Smtp.Username, options.Smtp.Password ?? "", ct);
            }
            return new SmtpConnection(client);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private sealed class SmtpConnection(SmtpClient client) : IMailConnection
    {
        public Task SendAsync(MimeMessage message, CancellationToken ct) => client.SendAsync(message, ct);

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (client.IsConnected)
                {
                    await client.DisconnectAsync(quit: true);
                }
            }
            catch (Exception e) when (e is IOException or SmtpProtocolException or SmtpCommandException)
            {
                // The server went away; nothing left to close politely.
            }
            client.Dispose();
        }
    }

    /// <summary>Each email as an .eml file, written under a temporary name and then renamed, so a reader never sees half a file.</summary>
    private sealed class PickupFolder(string directory) : IMailConnection
    {
        public async Task SendAsync(MimeMessage message, CancellationToken ct)
        {
            var name = string.Concat((message.MessageId ?? Guid.NewGuid().ToString("N")).Split(Path.GetInvalidFileNameChars()));
            var final = Path.Combine(directory, $"{message.Date.UtcDateTime:yyyyMMdd-HHmmss}-{name}.eml");
            var temporary = final + ".tmp";
            await using (var file = File.Create(temporary))
            {
                await message.WriteToAsync(file, ct);
            }
            File.Move(temporary, final, overwrite: true);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
