using System.Text.Json;
using System.Text.Json.Serialization;
using ContactDesk.Attachments;
using ContactDesk.Audit;
using ContactDesk.CannedResponses;
using ContactDesk.Conversation;
using ContactDesk.Data;
using ContactDesk.Hosting.OpenApi;
using ContactDesk.Identity;
using ContactDesk.Inbound;
using ContactDesk.KnowledgeBase;
using ContactDesk.Live;
using ContactDesk.Moderation;
using ContactDesk.Notifications;
using ContactDesk.Operations;
using ContactDesk.Portal;
using ContactDesk.Privacy;
using ContactDesk.Sla;
using ContactDesk.Submissions;
using ContactDesk.Tags;
using ContactDesk.Web;
using ContactDesk.Webhooks;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Scalar.AspNetCore;

namespace ContactDesk.Hosting;

/// <summary>The composition root: what the service registers and in which order requests flow.</summary>
public static class ServiceSetup
{
    public static WebApplicationBuilder AddContactDesk(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = RequestBodyLimit.MaxBytes);

        services.AddOptions<ContactDeskOptions>().BindConfiguration(ContactDeskOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddHttpContextAccessor();
        // Singletons: the contexts are pooled and built from the root services.
        services.AddSingleton<IInterceptor, TicketAuditInterceptor>();
        services.AddSingleton<IInterceptor, TicketEmailInterceptor>();
        services.AddSingleton<IInterceptor, TagIndexInterceptor>();
        services.AddSingleton<IInterceptor, WebhookInterceptor>(); // after the audit one: the payload carries its version and times
        services.AddContactDeskDatabase();
        // The first hosted service, so that the database is migrated before any other (Data
        // Protection's key ring reader, the email dispatcher) starts using it.
        services.AddSingleton<StartupTasks>();
        services.AddHostedService(sp => sp.GetRequiredService<StartupTasks>());
        services.AddContactDeskIdentity();
        services.AddScoped<TicketSubmitter>();
        services.AddScoped<TicketEditor>();
        services.AddSingleton<SearchTotalMemory>();
        services.AddAttachments();
        services.AddScoped<MessagePoster>();
        services.AddScoped<SubmitterMessagePoster>();
        services.AddScoped<ThreadReader>();
        services.AddHostedService<TallyCompactor>();
        services.AddNotifications();
        services.AddInbound();
        services.AddKnowledgeBase(builder.Configuration);
        services.AddSla();
        services.AddWebhooks();
        services.AddPrivacy();
        services.AddLive();

        services.Configure<JsonOptions>(o =>
        {
            Configure(o.SerializerOptions);
            // A field the API does not know is refused (400 naming it), not silently dropped: a typo
            // or an attempt to set user_id, status or a role is the client's error to hear about.
            o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            // A name given twice ({"status": "pending", "status": "resolved"}) is ambiguous: parsers
            // disagree on which one counts, so the request is refused rather than guessed at.
            o.SerializerOptions.AllowDuplicateProperties = false;
        });
        // Malformed bodies become exceptions, so the exception handler can answer with a problem.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddContactDeskProblemDetails();
        services.AddSubmitRateLimit();
        services.AddPortal();
        services.AddHealthChecks().AddDbContextCheck<AppDbContext>("database");
        services.AddContactDeskHealth();
        services.AddContactDeskMetrics(builder.Configuration);
        services.AddDataLocations();
        services.AddContactDeskOpenApi();
        services.AddContactDeskWeb(builder.Configuration);
        return builder;
    }

    public static void Configure(JsonSerializerOptions json)
    {
        json.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        json.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
    }

    public static WebApplication UseContactDesk(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRequestBodyLimit();
        app.UseContactDeskWeb();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();

        app.MapAuthEndpoints();
        app.MapSubmissionEndpoints();
        app.MapModerationEndpoints();
        app.MapAuditEndpoints();
        app.MapConversationEndpoints();
        app.MapAttachmentEndpoints();
        app.MapNotificationEndpoints();
        app.MapPortalEndpoints();
        app.MapInboundEndpoints();
        app.MapKnowledgeBaseEndpoints();
        app.MapTagEndpoints();
        app.MapCannedResponseEndpoints();
        app.MapSlaEndpoints();
        app.MapWebhookEndpoints();
        app.MapPrivacyEndpoints();
        app.MapLiveEndpoints();
        // Every endpoint says who may call it, even when that is anyone: EndpointAccessTests fails
        // for an endpoint that declares nothing. (A fallback policy would also catch requests that
        // match no endpoint, and turn their 404 into a 401.)
        app.MapHealthChecks("/healthz").AllowAnonymous();
        app.MapContactDeskHealth();
        app.MapContactDeskMetrics();
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference("/docs").AllowAnonymous();
        app.MapContactDeskWeb();
        return app;
    }
}
