using System.Text;
using System.Text.Json.Nodes;

namespace ContactDesk.Tests;

/// <summary>A request no client should send; every one must get a 4xx problem and store nothing.</summary>
/// <param name="Class">The kind of badness, as docs/reliability.md counts them.</param>
/// <param name="Path">May hold <c>{id}</c> and <c>{number}</c>: the test's target ticket.</param>
/// <param name="Caller">anonymous, moderator or admin: who sends it (so that it gets past authorization).</param>
/// <param name="Status">The status expected, or null for any 4xx.</param>
/// <param name="Bare">Kestrel refuses it while parsing HTTP, before any app code: its 4xx has no body.</param>
public sealed record HostileRequest(
    string Class, string Name, HttpMethod Method, string Path, string Caller, byte[]? Body, string? ContentType,
    IReadOnlyList<(string Name, string Value)> Headers, int? Status, bool Bare = false)
{
    public override string ToString() => $"[{Class}] {Method} {Path} as {Caller}: {Name}";
}

/// <summary>
/// The hostile-input corpus, generated from a description of each endpoint's body, fields and query
/// parameters, so that a new endpoint or field is one line here and gets every kind of bad value.
/// </summary>
public static class HostileInputCorpus
{
    private enum Kind { RequiredText, OptionalText, Email, Password, Enum, OptionalEnum, NullableGuid, GuidList }

    private sealed record Field(string Name, Kind Kind, int Max = 0, bool NullAllowed = false);

    /// <summary>A JSON endpoint: a valid body (which the corpus only ever breaks) and its fields.</summary>
    private sealed record JsonEndpoint(HttpMethod Method, string Path, string Caller, string ValidBody, Field[] Fields, bool EmptyBodyAllowed = false);

    private static readonly JsonEndpoint[] JsonEndpoints =
    [
        new(HttpMethod.Post, "/api/v1/contact/submit", "anonymous",
            """{"name": "Sam Submitter", "email": "sam@example.com", "subject": "Order 1234", "message": "Where is my parcel?", "category": "general"}""",
            [new("name", Kind.RequiredText, 255), new("email", Kind.Email), new("subject", Kind.RequiredText, 255),
             new("message", Kind.RequiredText, 20_000), new("category", Kind.OptionalEnum)]),
        new(HttpMethod.Post, "/api/v1/auth/login", "anonymous",
            """{"email": "nobody-corpus@example.com", "password": "Whatever-42"}""",
            [new("email", Kind.RequiredText, 254), new("password", Kind.Password)]),
        new(HttpMethod.Post, "/api/v1/auth/register", "anonymous",
            """{"name": "Corpus Person", "email": "corpus-register@example.com", "password": "Enigma-1912"}""",
            [new("name", Kind.RequiredText, 255), new("email", Kind.Email), new("password", Kind.Password)]),
        new(HttpMethod.Patch, "/api/v1/contact/{id}", "moderator",
            """{"status": "in_progress", "category": "bug", "priority": "high", "admin_notes": "Called back", "assigned_to_id": null}""",
            [new("status", Kind.Enum), new("category", Kind.Enum), new("priority", Kind.Enum), new("admin_notes", Kind.OptionalText, 20_000, NullAllowed: true),
             new("assigned_to_id", Kind.NullableGuid, NullAllowed: true)]),
        new(HttpMethod.Post, "/api/v1/contact/{id}/mark-resolved", "moderator",
            """{"resolution_notes": "Sent again"}""",
            [new("resolution_notes", Kind.OptionalText, 20_000, NullAllowed: true)], EmptyBodyAllowed: true),
        new(HttpMethod.Post, "/api/v1/contact/{id}/messages", "moderator",
            """{"kind": "note", "body": "Called the courier", "status": "in_progress"}""",
            [new("kind", Kind.Enum), new("body", Kind.RequiredText, 50_000), new("status", Kind.OptionalEnum)]),
        new(HttpMethod.Post, "/api/v1/portal/{token}/messages", "anonymous",
            """{"body": "One more detail"}""",
            [new("body", Kind.RequiredText, 50_000)]),
        new(HttpMethod.Post, "/api/v1/contact/bulk", "moderator",
            """{"ids": ["{id}"], "action": "archive"}""",
            [new("ids", Kind.GuidList, 500), new("action", Kind.Enum)]),
    ];

    /// <summary>Values of the wrong JSON type for a text field.</summary>
    private static readonly string[] NotText = ["0", "-1", "1.5", "1e308", "123456789012345678901234567890", "true", "false", "[]", "[\"x\"]", "{}", "{\"x\": \"y\"}"];

    private static readonly string[] Malformed =
    [
        "{", "}", "[", "]", "{{}", "{\"name\"}", "{\"name\": }", "{\"name\" \"Sam\"}", "{'name': 'Sam'}", "{name: \"Sam\"}",
        "{\"name\": \"Sam\",}", "{\"name\": \"Sam\"} trailing", "{} {}", "{\"name\": \"Sam\" /* comment */}", "{\"name\": NaN}",
        "{\"name\": Infinity}", "{\"name\": undefined}", "{\"name\": \"\\x41\"}", "{\"name\": \"\\u12\"}", "{\"name\": \"unterminated}",
        "{\"name\": \"line\nbreak\"}", "{\"name\": 01}", "{\"name\": .5}", "{\"name\": +1}", "{\"name\": 0x10}", "\"just a string\"",
        "12", "true", "null", "[]", "[{}]", new string('[', 10_000) + new string(']', 10_000), Nested(200), "\uFEFF\uFEFF{}", "{\"\\ud800\": 1}",
    ];

    /// <summary>Byte sequences that are not UTF-8: stray continuation, overlong, surrogate, truncated, 0xFF.</summary>
    private static readonly byte[][] NotUtf8 = [[0x80], [0xC3, 0x28], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xFF, 0xFE], [0xF8, 0x88, 0x80, 0x80, 0x80]];

    private static readonly string[] WrongMediaTypes =
    [
        "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", "application/octet-stream", "text/json; charset=latin1x",
    ];

    /// <summary>Fields a client may try to set that the API does not take (mass assignment, typos).</summary>
    private static readonly string[] UnknownFields =
    [
        "\"id\": \"00000000-0000-0000-0000-000000000001\"", "\"user_id\": \"00000000-0000-0000-0000-000000000001\"", "\"status\": \"resolved\"",
        "\"ticket_number\": \"CONT-20000101-0001\"", "\"role\": \"admin\"", "\"roles\": [\"admin\"]", "\"resolved_by\": null", "\"emial\": \"typo@example.com\"",
        "\"__proto__\": {\"admin\": true}", "\"\": 1",
    ];

    public static IEnumerable<HostileRequest> All() =>
        JsonEndpoints.SelectMany(BodyCases).Concat(QueryCases()).Concat(PathCases()).Concat(HeaderCases());

    private static IEnumerable<HostileRequest> BodyCases(JsonEndpoint endpoint)
    {
        HostileRequest Case(string @class, string name, byte[] body, string? contentType = "application/json", int? status = 400) =>
            new(@class, name, endpoint.Method, endpoint.Path, endpoint.Caller, body, contentType, [], status);
        HostileRequest Json(string @class, string name, string json, int? status = 400) => Case(@class, name, Encoding.UTF8.GetBytes(json), status: status);

        // Every prefix of the valid body: a request cut off anywhere.
        var valid = Encoding.UTF8.GetBytes(endpoint.ValidBody);
        for (var length = endpoint.EmptyBodyAllowed ? 1 : 0; length < valid.Length; length++)
        {
            yield return Case("truncated JSON", $"first {length} bytes", valid[..length]);
        }
        foreach (var text in Malformed.Where(m => !(endpoint.EmptyBodyAllowed && m == "null")))
        {
            yield return Json("malformed JSON", Describe(text), text);
        }
        foreach (var field in endpoint.Fields)
        {
            foreach (var (@class, name, value) in BadValues(field))
            {
                yield return Json(@class, $"{field.Name}: {name}", With(endpoint.ValidBody, field.Name, value));
            }
            if (field.Kind is Kind.RequiredText or Kind.OptionalText or Kind.Email or Kind.Password)
            {
                foreach (var bytes in NotUtf8)
                {
                    var json = With(endpoint.ValidBody, field.Name, "\"a#b\"");
                    var at = json.IndexOf("a#b", StringComparison.Ordinal) + 1;
                    var utf8 = Encoding.UTF8.GetBytes(json[..at]).Concat(bytes).Concat(Encoding.UTF8.GetBytes(json[(at + 1)..])).ToArray();
                    yield return Case("invalid UTF-8", $"{field.Name}: bytes {Convert.ToHexString(bytes)}", utf8);
                }
                // A raw NUL byte (invalid JSON) and an escaped one (valid JSON, refused as text).
                yield return Case("NUL bytes", $"{field.Name}: raw NUL byte", Encoding.UTF8.GetBytes(With(endpoint.ValidBody, field.Name, "\"a\0b\"")));
                if (field.Kind != Kind.Password)
                {
                    yield return Json("NUL bytes", $"{field.Name}: \\u0000", With(endpoint.ValidBody, field.Name, "\"a\\u0000b\""));
                }
            }
        }
        if (endpoint.Fields.Any(f => !f.NullAllowed && f.Kind != Kind.OptionalEnum))
        {
            yield return Json("nulls", "every field null", "{" + string.Join(", ", endpoint.Fields.Select(f => $"\"{f.Name}\": null")) + "}");
        }
        foreach (var unknown in UnknownFields.Where(u => !endpoint.Fields.Any(f => u.StartsWith($"\"{f.Name}\"", StringComparison.Ordinal))))
        {
            yield return Json("unknown fields", unknown, endpoint.ValidBody.TrimEnd('}') + ", " + unknown + "}");
        }
        // A field given twice: which one counts depends on the parser, so neither may.
        foreach (var field in endpoint.Fields)
        {
            var again = JsonNode.Parse(endpoint.ValidBody)![field.Name]?.ToJsonString() ?? "null";
            yield return Json("duplicate fields", field.Name, endpoint.ValidBody.TrimEnd('}') + $", \"{field.Name}\": {again}}}");
        }
        foreach (var mediaType in WrongMediaTypes)
        {
            yield return Case("wrong content type", mediaType, valid, mediaType, status: null);
        }
        yield return Case("wrong content type", "no Content-Type", valid, contentType: null, status: null);
        yield return Case("body too large", "1 MiB with Content-Length", Encoding.UTF8.GetBytes(Padded(endpoint.ValidBody, 1024 * 1024)), status: 413);
        yield return Case("body too large", "64 KiB + 1 with Content-Length", Encoding.UTF8.GetBytes(Padded(endpoint.ValidBody, 64 * 1024 + 1)), status: 413);
    }

    private static IEnumerable<(string Class, string Name, string Json)> BadValues(Field field)
    {
        var text = field.Kind is Kind.RequiredText or Kind.OptionalText or Kind.Email or Kind.Password or Kind.Enum or Kind.OptionalEnum;
        if (text)
        {
            foreach (var value in NotText)
            {
                yield return ("wrong types", $"not text: {value}", value);
            }
        }
        if (!field.NullAllowed && field.Kind is not Kind.OptionalEnum)
        {
            yield return ("nulls", "null", "null");
        }
        switch (field.Kind)
        {
            case Kind.RequiredText:
                yield return ("invalid values", "empty", "\"\"");
                yield return ("invalid values", "only spaces", "\"   \"");
                yield return ("one past the limit", $"{field.Max + 1} characters", Quoted(new string('x', field.Max + 1)));
                yield return ("one past the limit", $"{field.Max + 1} characters within spaces", Quoted("  " + new string('x', field.Max + 1) + "  "));
                break;
            case Kind.OptionalText:
                yield return ("one past the limit", $"{field.Max + 1} characters", Quoted(new string('x', field.Max + 1)));
                break;
            case Kind.Email:
                foreach (var email in new[]
                {
                    "", "not-an-email", "a@", "@example.com", "a b@example.com", "a@example.com\r\nBcc: victim@evil.test", "Sam <sam@example.com>",
                    "a@example.com, b@example.com", "a@@example.com", "a\t@example.com",
                })
                {
                    yield return ("invalid values", email.Length == 0 ? "empty" : $"not an address: {email}", Quoted(email));
                }
                yield return ("one past the limit", "a 312-character address", Quoted(new string('a', 64) + "@" + string.Join('.', Enumerable.Repeat(new string('b', 60), 4)) + ".com"));
                break;
            case Kind.Password:
                yield return ("invalid values", "empty", "\"\"");
                break;
            case Kind.Enum:
                yield return ("invalid values", "empty", "\"\"");
                goto case Kind.OptionalEnum;
            case Kind.OptionalEnum:
                foreach (var name in new[] { "nope", "0", "1", "general; DROP TABLE tickets", "in progress", "pending\u0000" })
                {
                    yield return ("invalid values", $"not one of the names: {name}", Quoted(name));
                }
                break;
            case Kind.NullableGuid:
                foreach (var value in new[] { "\"not-a-guid\"", "\"\"", "0", "true", "[]", "{}", "\"{00000000-0000-0000-0000-000000000000\"" })
                {
                    yield return ("wrong types", $"not a user id: {value}", value);
                }
                yield return ("invalid values", "not a moderator (no such user)", Quoted(Guid.NewGuid().ToString()));
                break;
            case Kind.GuidList:
                foreach (var value in new[] { "[]", "\"x\"", "[1]", "[\"nope\"]", "[null]", "[{}]", "{}", "true", "\"{id}\"" })
                {
                    yield return ("wrong types", $"not a list of ids: {value}", value);
                }
                yield return ("one past the limit", $"{field.Max + 1} ids", "[" + string.Join(", ", Enumerable.Range(0, field.Max + 1).Select(_ => Quoted(Guid.NewGuid().ToString()))) + "]");
                break;
        }
    }

    private static readonly string[] QueryEndpoints = ["/api/v1/contact/", "/api/v1/contact/export.csv"];

    private static readonly (string Parameter, string[] Values)[] QueryValues =
    [
        ("page", ["0", "-1", "1000001", "2147483648", "99999999999999999999", "1.5", "1e3", "abc", "0x10", "+1", "１", "1,2", "1 OR 1=1"]),
        ("page_size", ["0", "-5", "101", "1000000", "abc", "20.0", "NaN"]),
        ("status", ["nope", "pending,nope", "'; DROP TABLE tickets; --", "pending%00"]),
        ("category", ["nope", "general,nope", "general;bug", "1"]),
        ("assigned_to", ["nobody", "1", "' OR '1'='1", "me,none"]),
        ("created_after", ["yesterday", "2026-13-45", "0000-00-00", "9999999999999", "2026-11-24T25:00:00Z"]),
        ("created_before", ["tomorrow", "2026-02-30", "1' OR '1'='1"]),
        ("ordering", ["name", "created_at; DROP TABLE tickets", "--created_at", "-", "id"]),
        ("search", [new string('x', 201), "null%00byte"]),
    ];

    private static IEnumerable<HostileRequest> QueryCases()
    {
        foreach (var path in QueryEndpoints)
        {
            foreach (var (parameter, values) in QueryValues)
            {
                foreach (var value in values)
                {
                    var encoded = value.Contains('%') ? value : Uri.EscapeDataString(value);
                    yield return new("bad query parameters", $"{parameter}={value}", HttpMethod.Get, $"{path}?{parameter}={encoded}", "moderator", null, null, [], 400);
                }
            }
            yield return new("bad query parameters", "page twice", HttpMethod.Get, $"{path}?page=1&page=2", "moderator", null, null, [], 400);
        }
        foreach (var query in new[] { "state=nope", "state=", "page=0", "page=abc", "page=1000001", "state=failed&state=sent" })
        {
            yield return new("bad query parameters", query, HttpMethod.Get, $"/api/v1/admin/emails/?{query}", "admin", null, null, [], 400);
        }
        // 10,000 parameters do not fit Kestrel's 8 KiB request line: refused before the app (414).
        var many = string.Join('&', Enumerable.Range(0, 10_000).Select(i => $"p{i}=1"));
        yield return new("oversized request", "10,000 query parameters", HttpMethod.Get, $"/api/v1/contact/?{many}", "moderator", null, null, [], 414, Bare: true);
    }

    private static IEnumerable<HostileRequest> PathCases()
    {
        foreach (var id in new[] { "not-a-guid", "1", "-1", "00000000-0000-0000-0000-00000000000g", "{id}extra", "{id}0", new string('9', 5000) })
        {
            foreach (var (method, suffix) in new[] { (HttpMethod.Get, ""), (HttpMethod.Patch, ""), (HttpMethod.Delete, ""), (HttpMethod.Post, "/archive"), (HttpMethod.Get, "/history") })
            {
                yield return new("bad path parameters", $"{method} id {Describe(id)}", method, $"/api/v1/contact/{id}{suffix}", "admin", null, null, [], 404);
            }
        }
        foreach (var number in new[] { "CONT-00000000-0000", "nope", new string('X', 5000), "CONT-20261124-0001%27%20OR%20%271%27%3D%271", "%E2%80%AE", "%C3%28" })
        {
            yield return new("bad path parameters", $"ticket number {Describe(number)}", HttpMethod.Get, $"/api/v1/contact/by-ticket/{number}", "moderator", null, null, [], 404);
        }
        // A portal token that is not one: the same 404 whatever its shape (contract §9).
        foreach (var token in new[] { "not-a-token", new string('a', 32), new string('A', 32), "%27%20OR%20%271%27%3D%271", new string('z', 5000), "%E2%80%AE", "%C3%28", "{id}" })
        {
            foreach (var (method, suffix) in new[] { (HttpMethod.Get, ""), (HttpMethod.Post, "/resolve"), (HttpMethod.Post, "/reopen"), (HttpMethod.Get, "/attachments/{id}") })
            {
                yield return new("bad path parameters", $"{method} portal token {Describe(token)}{suffix}", method, $"/api/v1/portal/{token}{suffix}", "anonymous", null, null, [], 404);
            }
        }
        // A NUL in the path is refused by Kestrel itself (400, no body) before routing.
        foreach (var path in new[] { "/api/v1/contact/%00", "/api/v1/contact/%00/history", "/api/v1/contact/by-ticket/%00", "/api/v1/contact/by-ticket/CONT%00-1" })
        {
            yield return new("bad path parameters", $"NUL in {path}", HttpMethod.Get, path, "moderator", null, null, [], 400, Bare: true);
        }
        foreach (var (method, path) in new[] { (HttpMethod.Get, "/api/v1/contact/submit"), (HttpMethod.Delete, "/api/v1/contact/submit"), (HttpMethod.Put, "/api/v1/contact/{id}"), (HttpMethod.Get, "/api/v1/auth/login") })
        {
            yield return new("wrong method", $"{method} {path}", method, path, "admin", null, null, [], 405);
        }
    }

    private static IEnumerable<HostileRequest> HeaderCases()
    {
        var submit = Encoding.UTF8.GetBytes("""{"name": "Sam", "email": "sam@example.com", "subject": "Hi", "message": "Hello"}""");
        HostileRequest Submit(string @class, string name, IReadOnlyList<(string, string)> headers, int? status, bool bare = false) =>
            new(@class, name, HttpMethod.Post, "/api/v1/contact/submit", "anonymous", submit, "application/json", headers, status, bare);

        yield return Submit("bad headers", "Idempotency-Key of 256 characters", [("Idempotency-Key", new string('k', 256))], 400);
        yield return Submit("bad headers", "Idempotency-Key with a tab", [("Idempotency-Key", "a\tb")], 400);
        yield return Submit("bad headers", "Idempotency-Key empty", [("Idempotency-Key", "")], 400);
        yield return Submit("oversized request", "a 40 KiB header", [("X-Padding", new string('h', 40 * 1024))], 431, bare: true);
        yield return Submit("oversized request", "200 headers", [.. Enumerable.Range(0, 200).Select(i => ($"X-H{i}", "v"))], 431, bare: true);
        yield return new("bad headers", "an 8 KiB bearer token", HttpMethod.Get, "/api/v1/auth/me", "anonymous", null, null,
            [("Authorization", "Bearer " + new string('a', 8 * 1024))], 401);
        yield return new("bad headers", "a token that is not a JWT", HttpMethod.Get, "/api/v1/contact/", "anonymous", null, null,
            [("Authorization", "Bearer e30.e30.")], 401);
        yield return new("bad headers", "If-Match garbage", HttpMethod.Patch, "/api/v1/contact/{id}", "moderator",
            Encoding.UTF8.GetBytes("""{"admin_notes": "x"}"""), "application/json", [("If-Match", "\"not-a-version\"")], 412);
    }

    /// <summary>The valid body with <paramref name="field"/> set to the raw JSON <paramref name="value"/>.</summary>
    private static string With(string validBody, string field, string value)
    {
        var body = JsonNode.Parse(validBody)!.AsObject();
        var pairs = body.Select(p => p.Key == field ? $"\"{p.Key}\": {value}" : $"\"{p.Key}\": {p.Value?.ToJsonString() ?? "null"}");
        return "{" + string.Join(", ", pairs) + "}";
    }

    /// <summary>The valid body grown to <paramref name="bytes"/> with an extra field, so only its size is wrong.</summary>
    private static string Padded(string validBody, int bytes)
    {
        var start = validBody.TrimEnd('}') + ", \"padding\": \"";
        return start + new string('p', bytes - start.Length - 2) + "\"}";
    }

    private static string Quoted(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    private static string Nested(int depth) => string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);

    private static string Describe(string text) => text.Length > 40 ? $"{text[..20]}… ({text.Length} characters)" : text.Replace("\n", "\\n").Replace("\0", "\\0");
}
