using System.IO.Compression;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ContactDesk.Tests.Infrastructure;
using Microsoft.Playwright;
using static ContactDesk.Tests.ModerationApiExtensions;
using static Microsoft.Playwright.Assertions;

namespace ContactDesk.Tests;

/// <summary>
/// The data-protection page in a real browser without JavaScript: the export downloads, the
/// preview lists what an erasure takes, and only a confirmed form with its antiforgery token erases.
/// </summary>
/// <remarks>The portal page tests' app: SQLite, a real port, Chromium and the test SMTP server.</remarks>
public sealed class PrivacyPageTests(PortalPageTests.App app) : IClassFixture<PortalPageTests.App>
{
    [Fact]
    public async Task An_admin_downloads_the_export_previews_and_erases_an_address()
    {
        var admin = await app.CreateUserAsync("admin", "Ada Admin");
        var email = $"page-privacy-{Guid.NewGuid():N}@example.com";
        var first = await app.SubmitAsync(subject: "My account", message: "Please close it.", name: "Petra Private", email: email);
        var second = await app.SubmitAsync(subject: "Still open?", name: "Petra Private", email: email);
        var other = await app.SubmitAsync(subject: "Unrelated", name: "Otto Other", email: $"other-{Guid.NewGuid():N}@example.com");
        await admin.Client.PostAsync($"{Contact}/{first["id"]}/messages",
            MultipartBody.Form(new { kind = "reply", body = "The form you asked for." }, ("form.png", MultipartBody.Png)));
        var numbers = new[] { (string)first["ticket_number"]!, (string)second["ticket_number"]! };

        var page = await app.SignInAsync(admin, new() { JavaScriptEnabled = false });
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Admin" }).GetByRole(AriaRole.Link, new() { Name = "Data protection" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/admin/privacy$"));
        await page.GetByLabel("Email address").FillAsync(email);

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Download export (ZIP)" }).ClickAsync());
        Assert.EndsWith(".zip", download.SuggestedFilename);
        using (var zip = ZipFile.OpenRead((await download.PathAsync())!))
        {
            var data = JsonNode.Parse(await new StreamReader(zip.GetEntry("data.json")!.Open()).ReadToEndAsync())!;
            Assert.Equal(numbers, data["tickets"]!.AsArray().Select(t => (string)t!["ticket_number"]!));
            Assert.Single(zip.Entries, e => e.FullName.EndsWith("/form.png", StringComparison.Ordinal));
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Preview erasure" }).ClickAsync();
        var preview = page.Locator("#erase-preview");
        await Expect(preview.Locator("#erase-tickets")).ToHaveTextAsync(string.Join(", ", numbers));
        await Expect(preview.Locator("[data-count=tickets]")).ToHaveTextAsync("2");
        await Expect(preview.Locator("[data-count=messages]")).ToHaveTextAsync("3");
        await Expect(preview.Locator("[data-count=attachments]")).ToHaveTextAsync("1");

        // Unticked, the browser does not send the form; without the antiforgery token the server refuses it.
        await page.GetByRole(AriaRole.Button, new() { Name = "Erase", Exact = true }).ClickAsync();
        Assert.True(await page.GetByLabel("I understand this cannot be undone.").EvaluateAsync<bool>("box => box.validity.valueMissing"));
        var forged = page.Context.APIRequest.CreateFormData();
        forged.Set("email", email);
        forged.Set("confirm", "true");
        Assert.Equal(400, (await page.Context.APIRequest.PostAsync("/admin/privacy?handler=Erase", new() { Form = forged })).Status);
        Assert.Equal("Petra Private", (string)(await admin.Client.GetObjectAsync($"{Contact}/{first["id"]}"))["name"]!);

        await page.GetByLabel("I understand this cannot be undone.").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Erase", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Erased {email}: 2 tickets, 3 messages, 1 attachment.");

        foreach (var ticket in new[] { first, second })
        {
            var after = await admin.Client.GetObjectAsync($"{Contact}/{ticket["id"]}");
            Assert.Equal("[erased]", (string)after["name"]!);
            Assert.Equal("[erased]", (string)after["email"]!);
            Assert.Equal((string)ticket["ticket_number"]!, (string)after["ticket_number"]!);
        }
        Assert.Equal("Otto Other", (string)(await admin.Client.GetObjectAsync($"{Contact}/{other["id"]}"))["name"]!);

        // Previewed again, nothing is left.
        await page.GetByLabel("Email address").FillAsync(email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview erasure" }).ClickAsync();
        await Expect(page.Locator("#nothing")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_moderator_is_denied_the_page_and_a_bad_address_is_a_field_error()
    {
        var moderatorPage = await app.SignInAsync(await app.CreateUserAsync("moderator"));
        await Expect(moderatorPage.GetByRole(AriaRole.Link, new() { Name = "Data protection" })).ToHaveCountAsync(0);
        Assert.Equal(403, (await moderatorPage.GotoAsync("/admin/privacy"))!.Status);

        var page = await app.SignInAsync(await app.CreateUserAsync("admin"), new() { JavaScriptEnabled = false });
        var response = await page.GotoAsync("/admin/privacy?email=not-an-address");
        Assert.Equal(400, response!.Status);
        await Expect(page.Locator("#email-error")).ToHaveTextAsync("Enter a valid email address.");
        await Expect(page.GetByLabel("Email address")).ToHaveAttributeAsync("aria-invalid", "true");
    }
}
