using System.ComponentModel;
using System.Linq.Expressions;
using ContactDesk.Tags;
using ContactDesk.Tickets;

namespace ContactDesk.CannedResponses;

/// <summary>Who owns a canned response.</summary>
public sealed record OwnerRef(Guid Id, string Name);

/// <summary>The contract's canned response.</summary>
public sealed record CannedResponseOut(Guid Id, string Title, string Body, bool Shared, OwnerRef Owner, TicketStatus? SetStatus)
{
    /// <summary>Tags added to the ticket with the reply, sorted.</summary>
    public IReadOnlyList<string> AddTags => TagNames.Split(AddTagText);

    [System.Text.Json.Serialization.JsonIgnore]
    public string AddTagText { get; init; } = "";

    public static readonly Expression<Func<CannedResponse, CannedResponseOut>> Projection = c =>
        new CannedResponseOut(c.Id, c.Title, c.Body, c.Shared, new OwnerRef(c.OwnerId, c.Owner!.Name), c.SetStatus) { AddTagText = c.AddTags };
}

/// <summary>A canned response's fields as the OpenAPI document shows them; POST needs title and body, PATCH any.</summary>
public sealed class CannedResponseBody
{
    public string? Title { get; init; }

    [Description("A Liquid template with ticket.number, ticket.subject, ticket.category, submitter.name, submitter.email, agent.name, portal_url.")]
    public string? Body { get; init; }

    [Description("Seen and used by all staff; only admins create or change shared ones. Default false.")]
    public bool? Shared { get; init; }

    [Description("The status the ticket moves to with the reply; null for none.")]
    public TicketStatus? SetStatus { get; init; }

    [Description("Tags added to the ticket with the reply.")]
    public IReadOnlyList<string>? AddTags { get; init; }
}

/// <summary>A canned response rendered for one ticket.</summary>
public sealed record RenderedResponse(string Body);
