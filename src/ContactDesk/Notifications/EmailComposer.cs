using System.Text.Encodings.Web;
using ContactDesk.Hosting;
using ContactDesk.Tickets;
using Fluid;
using Microsoft.Extensions.Options;

namespace ContactDesk.Notifications;

/// <summary>What a template sees. Values are the user's text as typed; the HTML encoder escapes them.</summary>
public sealed record EmailModel(
    string TicketNumber, string Name, string Email, string Subject, string Message, string Category,
    string ExpectedResponseTime, string TicketUrl, string? ResolutionNotes)
{
    /// <summary>A reply's text, its author, the submitter's portal link and the attached files' names.</summary>
    public string? ReplyBody { get; init; }
    public string? StaffName { get; init; }
    public string? PortalUrl { get; init; }
    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>An SLA warning or breach: which target (first_response or resolution) and its deadline (UTC).</summary>
    public string? SlaTarget { get; init; }
    public string? SlaDueAt { get; init; }

    /// <summary>The reply also resolved the ticket: it stands for the resolution email.</summary>
    public bool Resolved { get; init; }
}

/// <summary>What a reply email says beyond the ticket: see <see cref="EmailComposer.QueueReply"/>.</summary>
public sealed record ReplyContent(Guid MessageId, string Body, string StaffName, string PortalUrl, IReadOnlyList<string> Files);

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
        foreach (var kind in Enum.GetValues<EmailKind>().Where(k => k.IsAboutATicket()))
        {
            foreach (var part in new[] { "subject", "txt", "html" })
            {
                templates[(kind, part)] = Load($"{WireNames.Of(kind)}.{part}.liquid");
            }
        }
    }

    /// <summary>The From address's domain: Message-IDs are made under it.</summary>
    public string MessageIdDomain => MimeKit.MailboxAddress.Parse(email.Value.From).Domain is { Length: > 0 } domain ? domain : "localhost";

    public ComposedEmail Compose(EmailKind kind, Ticket ticket, string? portalUrl = null) => Compose(kind, ModelOf(ticket) with { PortalUrl = portalUrl });

    private EmailModel ModelOf(Ticket ticket) => new(
        ticket.TicketNumber, ticket.Name, ticket.Email, ticket.Subject, ticket.Message, WireNames.Of(ticket.Category),
        email.Value.ExpectedResponseTime,
        $"{PublicBaseUrl}/admin/contact/{ticket.Id}",
        ticket.ResolutionNotes);

    public string PublicBaseUrl => site.Value.PublicBaseUrl.TrimEnd('/');

    private ComposedEmail Compose(EmailKind kind, EmailModel model)
    {
        return new ComposedEmail(
            OneLine(Render(kind, "subject", model, NullEncoder.Default)),
            Render(kind, "txt", model, NullEncoder.Default),
            Render(kind, "html", model, HtmlEncoder.Default));
    }

    /// <summary>A new outbox row: the email rendered now, with the Message-ID it keeps for every attempt.</summary>
    /// <param name="portalUrl">The submitter's link to the ticket (<see cref="Portal.PortalLinks"/>), for emails to them.</param>
    public OutboxEmail Queue(EmailKind kind, Ticket ticket, string to, string name, DateTime now, string? portalUrl = null) =>
        Queue(kind, ticket, Compose(kind, ticket, portalUrl), to, name, now);

    /// <summary>
    /// A staff reply to the submitter, threaded under <paramref name="earlierIds"/> (the Message-IDs
    /// sent for the ticket so far, oldest first). When the same change resolved the ticket, the
    /// reply says so and stands for the resolution email.
    /// </summary>
    public OutboxEmail QueueReply(Ticket ticket, ReplyContent reply, IReadOnlyList<string> earlierIds, DateTime now)
    {
        var model = ModelOf(ticket) with
        {
            ReplyBody = reply.Body,
            StaffName = reply.StaffName,
            PortalUrl = reply.PortalUrl,
            Files = reply.Files,
            Resolved = ticket.Status == TicketStatus.Resolved,
        };
        var queued = Queue(EmailKind.Reply, ticket, Compose(EmailKind.Reply, model), ticket.Email, ticket.Name, now);
        queued.TicketMessageId = reply.MessageId;
        Thread(queued, earlierIds);
        return queued;
    }

    /// <summary>Tells a staff member (<paramref name="to"/>) that the submitter wrote <paramref name="body"/> on the ticket.</summary>
    public OutboxEmail QueueMessageNotification(Ticket ticket, string body, IReadOnlyList<string> files, string to, string name, DateTime now)
    {
        var model = ModelOf(ticket) with { ReplyBody = body, Files = files };
        return Queue(EmailKind.MessageNotification, ticket, Compose(EmailKind.MessageNotification, model), to, name, now);
    }

    /// <summary>Tells a staff member that a ticket's SLA <paramref name="target"/> is close to (or past) <paramref name="dueAt"/>.</summary>
    public OutboxEmail QueueSla(EmailKind kind, Ticket ticket, string target, DateTime dueAt, string to, string name, DateTime now)
    {
        var model = ModelOf(ticket) with { SlaTarget = target.Replace('_', ' '), SlaDueAt = dueAt.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture) };
        return Queue(kind, ticket, Compose(kind, model), to, name, now);
    }

    /// <summary>In-Reply-To the latest of <paramref name="earlierIds"/>, References all of them (oldest first).</summary>
    public static void Thread(OutboxEmail email, IReadOnlyList<string> earlierIds)
    {
        if (earlierIds.Count > 0)
        {
            email.InReplyTo = earlierIds[^1];
            email.ThreadReferences = string.Join(' ', earlierIds.Select(id => $"<{id}>"));
        }
    }

    /// <summary>
    /// A Message-ID nobody can guess (the inbound side trusts a reply naming one): 160 random bits in
    /// base32, at the From address's domain. Without angle brackets, as MimeKit keeps them.
    /// </summary>
    public string NewMessageId() => $"{Base32.Random(20)}@{MessageIdDomain}";

    private OutboxEmail Queue(EmailKind kind, Ticket ticket, ComposedEmail composed, string to, string name, DateTime now)
    {
        return new OutboxEmail
        {
            Id = Guid.CreateVersion7(),
            Kind = kind,
            TicketId = ticket.Id,
            TicketNumber = ticket.TicketNumber,
            ToAddress = to,
            ToName = name,
            MessageId = NewMessageId(),
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
