using ContactDesk.Tickets;

namespace ContactDesk.Sla;

public enum SlaState { Ok, Warning, Breached, Met }

/// <summary>A ticket's <c>sla</c> in the API; null while the policy is off.</summary>
/// <param name="Paused">True exactly while the ticket waits on the submitter.</param>
public sealed record SlaOut(DateTime? FirstResponseDueAt, DateTime? ResolutionDueAt, SlaState? State, bool Paused);
