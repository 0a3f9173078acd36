namespace ContactDesk.Notifications;

public static class NotificationSetup
{
    public static IServiceCollection AddNotifications(this IServiceCollection services)
    {
        services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<EmailComposer>();
        services.AddSingleton<OutboxSignal>();
        services.AddHostedService<EmailDispatcher>();
        return services;
    }
}
