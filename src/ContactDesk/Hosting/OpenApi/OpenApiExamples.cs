using System.Text.Json.Nodes;
using ContactDesk.Identity;
using ContactDesk.Submissions;
using ContactDesk.Tickets;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;

namespace ContactDesk.Hosting.OpenApi;

/// <summary>Examples for the shapes an integrator meets first; the linter checks each against its schema.</summary>
public static class OpenApiExamples
{
    private const string TicketId = "0193a1f4-7c2e-7d3a-9b1e-4f5a6b7c8d9e";

    private static readonly Dictionary<Type, Func<JsonNode>> Examples = new()
    {
        [typeof(SubmitRequest)] = () => new JsonObject
        {
            ["name"] = "Sam Submitter", ["email"] = "sam@example.com", ["subject"] = "Order 1234",
            ["message"] = "Where is my parcel?", ["category"] = "general",
        },
        [typeof(TicketOut)] = () => new JsonObject
        {
            ["id"] = TicketId, ["ticket_number"] = "CONT-20261124-0001", ["name"] = "Sam Submitter", ["email"] = "sam@example.com",
            ["subject"] = "Order 1234", ["message"] = "Where is my parcel?", ["category"] = "general", ["status"] = "pending",
            ["user_id"] = null, ["assigned_to"] = null, ["resolved_by"] = null, ["admin_notes"] = null, ["resolution_notes"] = null,
            ["created_at"] = "2026-11-24T09:30:00Z", ["updated_at"] = "2026-11-24T09:30:00Z", ["resolved_at"] = null,
        },
        [typeof(LoginRequest)] = () => new JsonObject { ["email"] = "moderator@example.com", ["password"] = "Correct-horse-9" },
        [typeof(TokenResponse)] = () => new JsonObject { ["access_token"] = "eyJhbGciOiJIUzI1NiJ9.e30.signature", ["token_type"] = "Bearer", ["expires_in"] = 3600 },
        [typeof(ProblemDetails)] = () => new JsonObject
        {
            ["type"] = "https://tools.ietf.org/html/rfc9110#section-15.5.5", ["title"] = "Not Found", ["status"] = 404,
            ["detail"] = "No ticket has this id.",
        },
        [typeof(HttpValidationProblemDetails)] = () => new JsonObject
        {
            ["type"] = "https://tools.ietf.org/html/rfc9110#section-15.5.1", ["title"] = "One or more validation errors occurred.",
            ["status"] = 400, ["detail"] = "The request has invalid fields; see errors.",
            ["errors"] = new JsonObject { ["email"] = new JsonArray("Enter a valid email address.") },
        },
    };

    internal static void Apply(OpenApiSchema schema, Type type)
    {
        if (Examples.TryGetValue(type, out var example))
        {
            schema.Examples = [example()];
        }
    }
}
