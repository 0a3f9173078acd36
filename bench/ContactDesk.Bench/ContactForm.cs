using System.Text;
using System.Text.Json;
using ContactDesk.Tickets;

namespace ContactDesk.Bench;

/// <summary>What a visitor types into the contact form.</summary>
public sealed record ContactForm(string Name, string Email, string Subject, string Message, TicketCategory Category)
{
    public static List<ContactForm> Pool(int count, int seed)
    {
        var data = new SeedData(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var (name, email) = data.RandomCustomer();
            var category = data.Category();
            return new ContactForm(name, email, data.Subject(category), data.Message(name), category);
        }).ToList();
    }

    /// <summary>The <c>POST /submit</c> body, serialized once.</summary>
    public byte[] Json() => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
    {
        name = Name,
        email = Email,
        subject = Subject,
        message = Message,
        category = WireNames.Of(Category),
    }));
}
