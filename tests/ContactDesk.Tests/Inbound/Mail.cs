using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactDesk.Inbound;
using ContactDesk.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace ContactDesk.Tests.Inbound;

/// <summary>Emails as mail programs write them, and the app's inbound endpoint.</summary>
public static class Mail
{
    public static MimeMessage Text(string from, string subject, string body, string? inReplyTo = null, string? fromName = "Sam Sender")
    {
        var message = new MimeMessage { Subject = subject, Body = new TextPart("plain") { Text = body } };
        message.From.Add(new MailboxAddress(fromName, from));
        message.To.Add(MailboxAddress.Parse("support@contactdesk.test"));
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("mail.example.net");
        if (inReplyTo is not null)
        {
            message.InReplyTo = inReplyTo;
            message.References.Add(inReplyTo);
        }
        return message;
    }

    public static byte[] Bytes(MimeMessage message)
    {
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        return stream.ToArray();
    }

    public static Task<HttpResponseMessage> PostAsync(ContactDeskApp app, MimeMessage message, string? token = IInboundApp.Token) =>
        PostAsync(app, Bytes(message), token);

    public static Task<HttpResponseMessage> PostAsync(ContactDeskApp app, byte[] raw, string? token = IInboundApp.Token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/inbound/email") { Content = new ByteArrayContent(raw) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("message/rfc822");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return app.CreateClient().SendAsync(request);
    }

    /// <summary>Posts the message, expects 202, and waits until the app has processed it; returns the row.</summary>
    public static async Task<InboundEmail> IngestAsync(ContactDeskApp app, MimeMessage message)
    {
        var response = await PostAsync(app, message);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = Guid.Parse((string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!);
        return await ProcessedAsync(app, id);
    }

    public static async Task<InboundEmail> ProcessedAsync(ContactDeskApp app, Guid id, int seconds = 60)
    {
        InboundEmail? row = null;
        await Eventually(async () =>
        {
            row = await app.QueryAsync(db => db.InboundEmails.AsNoTracking().SingleAsync(e => e.Id == id));
            return row.State != InboundState.Received;
        }, seconds);
        return row!;
    }

    public static async Task Eventually(Func<Task<bool>> probe, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await probe())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Not reached within {seconds} s.");
            await Task.Delay(100);
        }
    }

    public static string Unique(string name) => $"{name}-{Guid.NewGuid():N}@example.com";
}
