using ContactDesk.Inbound;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ContactDesk.Hosting.OpenApi;

/// <summary>
/// Tells OpenAPI readers (and the /docs page) which operations want a bearer token, and says so
/// explicitly for the anonymous ones (<c>security: [{}]</c>): an operation without a requirement
/// leaves a client generator guessing. An endpoint anonymous to the sign-in layer but guarded by a
/// shared secret of its own (<see cref="SharedSecretAttribute"/>) wants that secret, not nothing.
/// </summary>
public static class OpenApiBearer
{
    private const string Scheme = "Bearer";

    /// <summary>The secret an MTA or provider sends to POST /api/v1/inbound/email (Email:Inbound:Token).</summary>
    private const string InboundScheme = "inboundToken";

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
            document.Components.SecuritySchemes[InboundScheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "The shared secret configured as Email:Inbound:Token, for the MTA or email provider only.",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            var scheme = RequiresSignIn(metadata) ? Scheme : RequiresSharedSecret(metadata) ? InboundScheme : null;
            operation.Security = scheme is null
                ? [new OpenApiSecurityRequirement()]
                : [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [] }];
            return Task.CompletedTask;
        });
        return options;
    }

    public static bool RequiresSharedSecret(IList<object> metadata) => metadata.OfType<SharedSecretAttribute>().Any();

    public static bool RequiresSignIn(IList<object> metadata) =>
        metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();

    /// <summary>Signed in is not enough: a policy or a role is asked for, so a plain account gets 403.</summary>
    public static bool RequiresRole(IList<object> metadata) =>
        RequiresSignIn(metadata) && metadata.OfType<IAuthorizeData>().Any(a => !string.IsNullOrEmpty(a.Policy) || !string.IsNullOrEmpty(a.Roles));
}
