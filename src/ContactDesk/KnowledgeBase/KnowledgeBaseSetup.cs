using ContactDesk.Data;
using ContactDesk.Web;

namespace ContactDesk.KnowledgeBase;

public static class KnowledgeBaseSetup
{
    /// <summary>The embedded form on an allowed website asks for suggestions (GET) and reports an opened one (POST).</summary>
    public const string CorsPolicy = "kb-embed";

    public static IServiceCollection AddKnowledgeBase(this IServiceCollection services, IConfiguration config)
    {
        // The search that fits the database the context runs on: one interface, two implementations.
        services.AddScoped<IArticleSearch>(sp => sp.GetRequiredService<AppDbContext>() is PostgresAppDbContext db
            ? new PostgresArticleSearch(db)
            : new SqliteArticleSearch(sp.GetRequiredService<AppDbContext>()));
        services.AddScoped<ArticleStore>();
        services.AddSingleton<SuggestionIndex>();
        services.AddScoped<SuggestionVisits>();
        services.AddSuggestRateLimit();
        var origins = config.GetSection(CorsOptions.Section).Get<CorsOptions>()?.AllowedOrigins ?? [];
        services.AddCors(o => o.AddPolicy(CorsPolicy, p => p.WithOrigins(origins).WithMethods("GET", "POST").WithHeaders("Content-Type")));
        return services;
    }
}
