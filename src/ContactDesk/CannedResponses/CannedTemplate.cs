using Fluid;
using Fluid.Ast;

namespace ContactDesk.CannedResponses;

/// <summary>The values a canned response's body is rendered with.</summary>
public sealed record CannedValues(
    string TicketNumber, string TicketSubject, string TicketCategory, string SubmitterName, string SubmitterEmail,
    string AgentName, string PortalUrl);

/// <summary>
/// A canned response's Liquid body (Fluid). Saved only when it parses and names nothing but the
/// contract's variables, any filter Fluid knows and its own <c>assign</c>/<c>capture</c>/<c>for</c>
/// variables; rendered as plain text (no HTML encoding: replies are text).
/// </summary>
public sealed class CannedTemplate
{
    public static readonly string[] Variables =
        ["ticket.number", "ticket.subject", "ticket.category", "submitter.name", "submitter.email", "agent.name", "portal_url"];

    private static readonly FluidParser Parser = new();

    /// <summary>Bounds on work: a template cannot loop the server to a halt.</summary>
    private static readonly TemplateOptions Options = new() { MaxSteps = 100_000, MaxRecursion = 20 };

    private readonly IFluidTemplate template;

    private CannedTemplate(IFluidTemplate template, bool usesPortalUrl) => (this.template, UsesPortalUrl) = (template, usesPortalUrl);

    /// <summary>Whether rendering needs a portal link (making one stores a token).</summary>
    public bool UsesPortalUrl { get; }

    /// <summary>The template, or null with the reason it cannot be used.</summary>
    public static CannedTemplate? Parse(string body, out string? error)
    {
        if (!Parser.TryParse(body, out var parsed, out var parseError))
        {
            error = $"Not a valid Liquid template: {parseError}";
            return null;
        }
        var names = new NameCollector();
        names.VisitTemplate(parsed);
        var unknown = names.Paths.Where(p => !Variables.Contains(p) && !names.Locals.Contains(p.Split('.')[0])).ToList();
        if (unknown.Count > 0)
        {
            error = $"Unknown variable {string.Join(", ", unknown.Distinct())}; use {string.Join(", ", Variables)}.";
            return null;
        }
        if (names.Filters.FirstOrDefault(f => !Options.Filters.TryGetValue(f, out _)) is { } filter)
        {
            error = $"Unknown filter '{filter}'.";
            return null;
        }
        var template = new CannedTemplate(parsed, names.Paths.Contains("portal_url"));
        // A trial run catches what only running shows (a loop past the step limit).
        try
        {
            template.Render(new CannedValues("T-0", "subject", "general", "name", "name@example.com", "agent", "https://example.com/t/x"));
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException)
        {
            error = $"The template fails when rendered: {e.Message}";
            return null;
        }
        error = null;
        return template;
    }

    public string Render(CannedValues values)
    {
        var context = new TemplateContext(Options);
        context.SetValue("ticket", new Dictionary<string, object>
        {
            ["number"] = values.TicketNumber, ["subject"] = values.TicketSubject, ["category"] = values.TicketCategory,
        });
        context.SetValue("submitter", new Dictionary<string, object> { ["name"] = values.SubmitterName, ["email"] = values.SubmitterEmail });
        context.SetValue("agent", new Dictionary<string, object> { ["name"] = values.AgentName });
        context.SetValue("portal_url", values.PortalUrl);
        return template.Render(context, NullEncoder.Default).Trim();
    }

    /// <summary>Every variable path the template reads, the variables it declares itself, and its filters.</summary>
    private sealed class NameCollector : AstVisitor
    {
        public HashSet<string> Paths { get; } = [];
        public HashSet<string> Locals { get; } = [];
        public HashSet<string> Filters { get; } = [];

        protected override Expression VisitMemberExpression(MemberExpression memberExpression)
        {
            var path = new List<string>();
            foreach (var segment in memberExpression.Segments)
            {
                if (segment is not IdentifierSegment identifier)
                {
                    path.Add("[…]"); // ticket["number"] and the like: not one of the names
                    break;
                }
                path.Add(identifier.Identifier);
            }
            Paths.Add(string.Join('.', path));
            return base.VisitMemberExpression(memberExpression);
        }

        protected override Expression VisitFilterExpression(FilterExpression filterExpression)
        {
            Filters.Add(filterExpression.Name);
            return base.VisitFilterExpression(filterExpression);
        }

        protected override Statement VisitAssignStatement(AssignStatement assignStatement)
        {
            Locals.Add(assignStatement.Identifier);
            return base.VisitAssignStatement(assignStatement);
        }

        protected override Statement VisitCaptureStatement(CaptureStatement captureStatement)
        {
            Locals.Add(captureStatement.Identifier);
            return base.VisitCaptureStatement(captureStatement);
        }

        protected override Statement VisitForStatement(ForStatement forStatement)
        {
            Locals.Add(forStatement.Identifier);
            Locals.Add("forloop");
            return base.VisitForStatement(forStatement);
        }
    }
}
