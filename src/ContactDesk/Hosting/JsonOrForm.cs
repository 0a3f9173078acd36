using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace ContactDesk.Hosting;

/// <summary>
/// Marks an endpoint (or a Razor page model) that takes <c>multipart/form-data</c> with files: only
/// there, and only for such a body, does the request body limit rise from 64 KiB to the attachment
/// limit (see RequestBodyLimit).
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class AcceptsUploadsAttribute : Attribute;

/// <summary>
/// For endpoints that take a JSON body or a multipart form: reads the JSON as the framework's binding
/// would (same options, same errors), since one handler cannot bind both.
/// </summary>
public static class JsonOrForm
{
    public const string FormType = "multipart/form-data";

    public static async Task<T> ReadJsonAsync<T>(HttpRequest request, CancellationToken ct) where T : class
    {
        if (!request.HasJsonContentType())
        {
            throw new BadHttpRequestException("Send the body as application/json or multipart/form-data.", StatusCodes.Status415UnsupportedMediaType);
        }
        var options = request.HttpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        try
        {
            // UTF-8 from the body stream, not the PipeReader: at a graceful shutdown Kestrel cancels pending
            // reads of the connection to stop keep-alive, and the PipeReader path (.NET 10) then fails a
            // request whose body is still arriving; the stream reads on (ShutdownTests). Another charset
            // takes the framework's path, which transcodes it or refuses it.
            var utf8 = Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
                && (type.Charset.Length == 0 || type.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase));
            return await (utf8 ? JsonSerializer.DeserializeAsync<T>(request.Body, options, ct) : request.ReadFromJsonAsync<T>(options, ct))
                ?? throw new BadHttpRequestException("The request body is missing or is not valid JSON.", StatusCodes.Status400BadRequest);
        }
        catch (JsonException e)
        {
            // The shape the exception handler turns into a field error, as for a bound body.
            throw new BadHttpRequestException("The request body is not valid JSON of the expected shape.", StatusCodes.Status400BadRequest, e);
        }
    }
}
