using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ContactDesk.Hosting.OpenApi;

/// <summary>
/// Tells OpenAPI readers (and the /docs page) which operations want a bearer token, and says so
/// explicitly for the anonymous ones (<c>security: [{}]</c>): an operation without a requirement
/// leaves a client generator guessing.
/// </summary>
public static class OpenApiBearer
{
    private const string Scheme = "Bearer";

    public static OpenApiOptions AddBearerSecurity(this OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[Scheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "The access_token from POST /api/v1/auth/login.",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            operation.Security = RequiresSignIn(context.Description.ActionDescriptor.EndpointMetadata)
                ? [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Scheme, context.Document)] = [] }]
                : [new OpenApiSecurityRequirement()];
            return Task.CompletedTask;
        });
        return options;
    }

    public static bool RequiresSignIn(IList<object> metadata) =>
        metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();

    /// <summary>Signed in is not enough: a policy or a role is asked for, so a plain account gets 403.</summary>
    public static bool RequiresRole(IList<object> metadata) =>
        RequiresSignIn(metadata) && metadata.OfType<IAuthorizeData>().Any(a => !string.IsNullOrEmpty(a.Policy) || !string.IsNullOrEmpty(a.Roles));
}
