using ContactDesk.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContactDesk.Attachments;

/// <summary>
/// The body of an endpoint that takes JSON or a multipart form with files: the same request record
/// either way, plus the staged files (none for JSON).
/// </summary>
public static class FormBody
{
    public abstract record Outcome<T>;
    public sealed record Read<T>(T Request, StagedUpload Upload) : Outcome<T>;
    public sealed record Invalid<T>(ValidationProblem Problem) : Outcome<T>;
    public sealed record Refused<T>(ProblemHttpResult Problem) : Outcome<T>;

    /// <param name="fieldNames">The fields a form may have besides the files; any other is a field error, as in JSON.</param>
    /// <param name="fromFields">Builds the request from the form's fields.</param>
    public static async Task<Outcome<T>> ReadAsync<T>(HttpRequest request, MultipartUpload multipart, IReadOnlyCollection<string> fieldNames,
        Func<IReadOnlyDictionary<string, string>, T> fromFields, CancellationToken ct) where T : class
    {
        if (!MultipartUpload.IsMultipart(request))
        {
            return new Read<T>(await JsonOrForm.ReadJsonAsync<T>(request, ct), StagedUpload.Empty);
        }
        switch (await multipart.ReadAsync(request, ct))
        {
            case MultipartUpload.TooLarge tooLarge:
                return new Refused<T>(ProblemResponses.Problem(StatusCodes.Status413PayloadTooLarge, tooLarge.Reason));
            case MultipartUpload.Malformed malformed:
                return new Invalid<T>(ProblemResponses.Validation("body", malformed.Reason));
            case MultipartUpload.Read { Upload: var upload }:
                var unknown = upload.Fields.Keys.Where(k => !fieldNames.Contains(k)).ToList();
                if (unknown.Count > 0)
                {
                    upload.Dispose();
                    return new Invalid<T>(ProblemResponses.Validation(unknown.ToDictionary(
                        k => k, _ => new[] { $"Not a field of this form; send any of: {string.Join(", ", fieldNames)}, and '{MultipartUpload.FilesField}' parts." })));
                }
                return new Read<T>(fromFields(upload.Fields), upload);
            default:
                throw new InvalidOperationException("Unknown multipart outcome.");
        }
    }
}
