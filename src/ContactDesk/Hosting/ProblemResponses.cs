using ContactDesk.Data;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ContactDesk.Hosting;

/// <summary>
/// Every error leaves as RFC 9457 problem details with a status, a title and a detail; nothing
/// of an exception's internals (stack, SQL) reaches the client.
/// </summary>
public static class ProblemResponses
{
    public static IServiceCollection AddContactDeskProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            var problem = ctx.ProblemDetails;
            problem.Detail ??= DefaultDetail(problem.Status ?? ctx.HttpContext.Response.StatusCode);
        });
        services.AddExceptionHandler<ExceptionToProblem>();
        return services;
    }

    public static ValidationProblem Validation(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, detail: "The request has invalid fields; see errors.");

    public static ValidationProblem Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    public static ProblemHttpResult Problem(int status, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status);

    /// <summary>What a status means here: the detail of a problem that has none, and the OpenAPI description of the response.</summary>
    public static string DefaultDetail(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "The request could not be understood.",
        StatusCodes.Status401Unauthorized => "Sign in first: send 'Authorization: Bearer <access_token>'.",
        StatusCodes.Status403Forbidden => "Your role does not allow this.",
        StatusCodes.Status404NotFound => "Nothing exists at this address.",
        StatusCodes.Status405MethodNotAllowed => "This address does not accept that method.",
        StatusCodes.Status409Conflict => "The request conflicts with the current state.",
        StatusCodes.Status412PreconditionFailed => "The resource has changed since you read it.",
        StatusCodes.Status413PayloadTooLarge => "The request body is larger than 64 KiB.",
        StatusCodes.Status415UnsupportedMediaType => "Send the body as application/json.",
        StatusCodes.Status429TooManyRequests => "Too many requests; retry later.",
        StatusCodes.Status503ServiceUnavailable => "The service is temporarily unavailable; retry later.",
        _ => "An unexpected error occurred.",
    };

    /// <summary>The one place that turns an exception into a response.</summary>
    /// <remarks>
    /// It also logs the faults (5xx): since .NET 10 the exception handler middleware records nothing
    /// for an exception that an <see cref="IExceptionHandler"/> handled, so without this a 500 left no trace.
    /// </remarks>
    private sealed class ExceptionToProblem(IProblemDetailsService problems, ILogger<ExceptionToProblem> logger) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
        {
            if (exception is OperationCanceledException && http.RequestAborted.IsCancellationRequested)
            {
                return true; // the client left; nobody is listening
            }

            var problem = exception switch
            {
                BadHttpRequestException { InnerException: JsonException { Path: { } path } } => new HttpValidationProblemDetails(
                    new Dictionary<string, string[]> { [FieldOf(path)] = ["Not a field of this request, given twice, or not valid JSON of the expected type."] })
                {
                    Status = 400,
                    Detail = "The request body has an unknown, repeated or wrongly typed field, or is not valid JSON.",
                },
                BadHttpRequestException { StatusCode: 400 } => new HttpValidationProblemDetails(
                    new Dictionary<string, string[]> { ["body"] = ["Send a JSON object in the request body."] })
                {
                    Status = 400,
                    Detail = "The request body is missing or is not valid JSON.",
                },
                BadHttpRequestException bad => new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = bad.StatusCode, Detail = bad.Message },
                DbUpdateConcurrencyException => new() { Status = 409, Detail = "The ticket was changed at the same time by someone else; reload and retry." },
                _ when DatabaseFaults.IsUnavailable(exception) => Unavailable(http),
                _ => new() { Status = 500, Detail = "An unexpected error occurred. It has been logged." },
            };
            if (problem.Status >= 500)
            {
                logger.Log(problem.Status == 500 ? LogLevel.Error : LogLevel.Warning, exception,
                    "{Method} {Path} failed; answered {Status}.", http.Request.Method, Portal.PortalPaths.ForLog(http.Request.Path), problem.Status);
            }
            http.Response.StatusCode = problem.Status!.Value;
            return await problems.TryWriteAsync(new() { HttpContext = http, ProblemDetails = problem });
        }

        private static Microsoft.AspNetCore.Mvc.ProblemDetails Unavailable(HttpContext http)
        {
            http.Response.Headers.RetryAfter = "5";
            return new() { Status = 503, Detail = "The database is not available right now; retry in a few seconds." };
        }

        /// <summary>"$.name" → "name"; "$" (the body itself) → "body".</summary>
        private static string FieldOf(string jsonPath)
        {
            var field = jsonPath.TrimStart('$', '.');
            return field.Length == 0 ? "body" : field;
        }
    }
}
