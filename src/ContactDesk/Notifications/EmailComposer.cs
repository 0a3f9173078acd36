using System.Text.Encodings.Web;
using ContactDesk.Hosting;
using ContactDesk.Tickets;
using Fluid;
using Microsoft.Extensions.Options;

namespace ContactDesk.Notifications;

/// <summary>What a template sees. Values are the user's text as typed; the HTML encoder escapes them.</summary>
public sealed record EmailModel(
    string TicketNumber, string Name, string Email, string Subject, string Message, string Category,
    string ExpectedResponseTime, string TicketUrl, string? ResolutionNotes);

public sealed record ComposedEmail(string Subject, string TextBody, string HtmlBody);

/// <summary>
/// Renders the three emails from the Liquid templates in <c>Templates/</c> (embedded in the
/// assembly): a subject, a plain-text part and an HTML part per kind.
/// </summary>
public sealed class EmailComposer
{
    private static readonly FluidParser Parser = new();
    private readonly TemplateOptions templateOptions = new();
    private readonly Dictionary<(EmailKind, string), IFluidTemplate> templates = [];
    private readonly IOptions<EmailOptions> email;
    private readonly IOptions<ContactDeskOptions> site;

    public EmailComposer(IOptions<EmailOptions> email, IOptions<ContactDeskOptions> site)
    {
        this.email = email;
        this.site = site;
        templateOptions.MemberAccessStrategy.Register<EmailModel>();
        foreach (var kind in Enum.GetValues<EmailKind>())
        {
            foreach (var part in new[] { "subject", "txt", "html" })
            {
                templates[(kind, part)] = Load($"{WireNames.Of(kind)}.{part}.liquid");
            }
        }
    }

    /// <summary>The From address's domain: Message-IDs are made under it.</summary>
    public string MessageIdDomain => MimeKit.MailboxAddress.Parse(email.Value.From).Domain is { Length: > 0 } domain ? domain : "localhost";

    public ComposedEmail Compose(EmailKind kind, Ticket ticket)
    {
        var model = new EmailModel(
            ticket.TicketNumber, ticket.Name, ticket.Email, ticket.Subject, ticket.Message, WireNames.Of(ticket.Category),
            email.Value.ExpectedResponseTime,
            $"{site.Value.PublicBaseUrl.TrimEnd('/')}/admin/contact/{ticket.Id}",
            ticket.ResolutionNotes);
        return new ComposedEmail(
            OneLine(Render(kind, "subject", model, NullEncoder.Default)),
            Render(kind, "txt", model, NullEncoder.Default),
            Render(kind, "html", model, HtmlEncoder.Default));
    }

    /// <summary>A new outbox row: the email rendered now, with the Message-ID it keeps for every attempt.</summary>
    public OutboxEmail Queue(EmailKind kind, Ticket ticket, string to, string name, DateTime now)
    {
        var composed = Compose(kind, ticket);
        return new OutboxEmail
        {
            Id = Guid.CreateVersion7(),
            Kind = kind,
            TicketId = ticket.Id,
            TicketNumber = ticket.TicketNumber,
            ToAddress = to,
            ToName = name,
            MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId(MessageIdDomain),
            Subject = composed.Subject,
            TextBody = composed.TextBody,
            HtmlBody = composed.HtmlBody,
            State = EmailState.Pending,
            CreatedAt = now,
            NextAttemptAt = now,
        };
    }

    /// <summary>A header value can never carry a line break, so it can never start another header.</summary>
    public static string OneLine(string text)
    {
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return new string([.. string.Join(' ', words).Where(c => !char.IsControl(c))]);
    }

    private string Render(EmailKind kind, string part, EmailModel model, TextEncoder encoder) =>
        templates[(kind, part)].Render(new TemplateContext(model, templateOptions), encoder);

    private static IFluidTemplate Load(string name)
    {
        using var stream = typeof(EmailComposer).Assembly.GetManifestResourceStream("Templates." + name)
            ?? throw new InvalidOperationException($"Email template {name} is not embedded.");
        var source = new StreamReader(stream).ReadToEnd();
        return Parser.TryParse(source, out var template, out var error)
            ? template
            : throw new InvalidOperationException($"Email template {name}: {error}");
    }
}
