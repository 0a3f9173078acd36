namespace ContactDesk.Hosting;

/// <summary>
/// The contract's 64 KiB body limit, refused before any of the body is read. A multipart body to an
/// endpoint marked <see cref="AcceptsUploadsAttribute"/> may be as large as the attachment limits allow.
/// </summary>
public static class RequestBodyLimit
{
    public const long MaxBytes = 64 * 1024;

    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var max = MaxBytes;
        if (http.GetEndpoint()?.Metadata.GetMetadata<AcceptsUploadsAttribute>() is not null && Attachments.MultipartUpload.IsMultipart(http.Request))
        {
            max = http.RequestServices.GetRequiredService<Attachments.MultipartUpload>().MaxRequestBytes;
        }
        else if (http.GetEndpoint()?.Metadata.GetMetadata<OwnBodyLimit>() is { } own)
        {
            max = own.MaxBytes(http.RequestServices);
        }
        if (http.Request.ContentLength > max)
        {
            http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
            await problems.WriteAsync(new()
            {
                HttpContext = http,
                ProblemDetails = { Detail = max == MaxBytes ? null : $"The request body is larger than {max} bytes." },
            });
            return;
        }
        // A body without Content-Length (chunked) is cut off by the server's own limit as it streams.
        if (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = max;
        }
        await next(http);
    });
}

/// <summary>An endpoint whose body is not JSON and has its own configured limit (a raw email): read from the services per request.</summary>
public sealed record OwnBodyLimit(Func<IServiceProvider, long> MaxBytes);
