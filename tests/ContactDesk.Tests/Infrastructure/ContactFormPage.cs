using Microsoft.Playwright;

namespace ContactDesk.Tests.Infrastructure;

/// <summary>The /contact form as a visitor fills it in a browser.</summary>
public static class ContactFormPage
{
    /// <summary>Fills the form's required fields.</summary>
    public static async Task FillAsync(IPage page, string name, string email, string subject, string message)
    {
        await page.GetByLabel("Name").FillAsync(name);
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Subject").FillAsync(subject);
        await page.GetByLabel("Message").FillAsync(message);
    }
}
