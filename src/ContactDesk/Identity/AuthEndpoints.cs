using System.Globalization;
using System.Security.Claims;
using ContactDesk.Data;
using ContactDesk.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace ContactDesk.Identity;

public sealed record LoginRequest(string? Email, string? Password);

public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn);

public sealed record RegisterRequest(string? Name, string? Email, string? Password);

public sealed record UserOut(Guid Id, string Email, string Name, IReadOnlyList<string> Roles);

public static class AuthEndpoints
{
    public static RouteGroupBuilder MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/auth").WithTags("Auth");
        group.MapPost("/login", Login).AllowAnonymous().WithName("Login")
            .WithSummary("Exchange email and password for a bearer token")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapPost("/register", Register).AllowAnonymous().WithName("Register")
            .WithSummary("Create an account with the role 'user'").ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/me", Me).RequireAuthorization().WithName("Me")
            .WithSummary("The signed-in user");
        return group;
    }

    private static async Task<Results<Ok<TokenResponse>, ValidationProblem, ProblemHttpResult>> Login(
        LoginRequest request, UserManager<AppUser> users, LoginAttempts attempts, JwtTokens tokens, TimeProvider clock, HttpContext http)
    {
        var errors = new FieldErrors();
        errors.Text("email", request.Email, 254);
        if (string.IsNullOrEmpty(request.Password))
        {
            errors.Add("password", "This field is required.");
        }
        if (errors.Any)
        {
            return ProblemResponses.Validation(errors.ToDictionary());
        }

        var user = await users.FindByEmailAsync(request.Email!.Trim());
        if (user is null)
        {
            return ProblemResponses.Problem(401, "Wrong email or password.");
        }
        var (outcome, lockedUntil) = await attempts.CheckAsync(user, request.Password!);
        if (outcome == LoginAttempts.Outcome.LockedOut)
        {
            var now = clock.GetUtcNow();
            var seconds = Math.Max(1, (int)Math.Ceiling(((lockedUntil ?? now) - now).TotalSeconds));
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return ProblemResponses.Problem(429, "Too many failed sign-ins; the account is locked for a while.");
        }
        if (outcome != LoginAttempts.Outcome.Success)
        {
            return ProblemResponses.Problem(401, "Wrong email or password.");
        }
        var token = tokens.Issue(user, await users.GetRolesAsync(user));
        return TypedResults.Ok(new TokenResponse(token, "Bearer", (int)tokens.Lifetime.TotalSeconds));
    }

    private static async Task<Results<Created<UserOut>, ValidationProblem, ProblemHttpResult>> Register(
        RegisterRequest request, AppDbContext db, UserManager<AppUser> users)
    {
        var errors = new FieldErrors();
        var name = errors.Text("name", request.Name, 255);
        var email = errors.Email("email", request.Email);
        if (string.IsNullOrEmpty(request.Password))
        {
            errors.Add("password", "This field is required.");
        }
        if (errors.Any)
        {
            return ProblemResponses.Validation(errors.ToDictionary());
        }

        var outcome = await UserAccounts.CreateAsync(db, users, name, email, request.Password!, Roles.User);
        return outcome switch
        {
            UserAccounts.Created created => TypedResults.Created("/api/v1/auth/me", created.User),
            UserAccounts.EmailTaken => ProblemResponses.Problem(409, "An account with this email already exists."),
            UserAccounts.Rejected rejected => ProblemResponses.Validation(rejected.Errors),
            _ => throw new InvalidOperationException(),
        };
    }

    private static async Task<Results<Ok<UserOut>, ProblemHttpResult>> Me(ClaimsPrincipal principal, UserManager<AppUser> users)
    {
        var user = await users.FindByIdAsync(principal.GetId().ToString());
        if (user is null)
        {
            return ProblemResponses.Problem(401, "The account behind this token no longer exists.");
        }
        return TypedResults.Ok(new UserOut(user.Id, user.Email!, user.Name, [.. await users.GetRolesAsync(user)]));
    }
}
