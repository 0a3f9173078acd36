namespace ContactDesk.Attachments;

public static class AttachmentSetup
{
    public static IServiceCollection AddAttachments(this IServiceCollection services)
    {
        services.AddOptions<AttachmentOptions>().BindConfiguration(AttachmentOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AttachmentStore>();
        services.AddSingleton<MultipartUpload>();
        return services;
    }
}
