using System.Text;
using ContactDesk.Tickets;

namespace ContactDesk.Bench;

/// <summary>
/// Realistic contact-form text: a few hundred thousand distinct customers (so an email search finds a
/// handful of tickets), subjects from per-category templates with order numbers and product names,
/// messages of a few sentences (150 to 2,000 characters). Deterministic for a seed.
/// </summary>
public sealed class SeedData(int seed)
{
    public const int Customers = 300_000;

    private readonly Random random = new(seed);

    private static readonly string[] FirstNames =
    [
        "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth", "William", "Barbara",
        "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen", "Christopher", "Lisa", "Daniel", "Nancy",
        "Matthew", "Betty", "Anthony", "Margaret", "Mark", "Sandra", "Donald", "Ashley", "Steven", "Kimberly", "Paul", "Emily",
        "Andrew", "Donna", "Joshua", "Michelle", "Kenneth", "Carol", "Kevin", "Amanda", "Brian", "Melissa", "George", "Deborah",
        "Timothy", "Stephanie", "Ronald", "Rebecca", "Jason", "Sharon", "Edward", "Laura", "Jeffrey", "Cynthia", "Ryan", "Kathleen",
        "Jacob", "Amy", "Gary", "Angela", "Nicholas", "Shirley", "Eric", "Anna", "Jonathan", "Brenda", "Stephen", "Pamela",
        "Larry", "Emma", "Justin", "Nicole", "Scott", "Helen", "Brandon", "Samantha", "Benjamin", "Katherine", "Samuel", "Christine",
        "Léa", "Chloé", "Lukas", "Sofía", "Mateo", "Aiko", "Hiroshi", "Priya", "Arjun", "Fatima", "Omar", "Ingrid", "Björn", "Zoë",
    ];

    private static readonly string[] LastNames =
    [
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez",
        "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson",
        "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
        "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell",
        "Mitchell", "Carter", "Roberts", "Gomez", "Phillips", "Evans", "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins",
        "Reyes", "Stewart", "Morris", "Morales", "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper", "Peterson",
        "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson", "Watson", "Brooks", "Chavez", "Wood",
        "Müller", "Schmidt", "Dubois", "Lefèvre", "Rossi", "Bianchi", "Tanaka", "Sato", "Patel", "Sharma", "Kowalski", "Novak",
    ];

    private static readonly string[] Domains =
    [
        "gmail.com", "gmail.com", "gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "proton.me", "gmx.de",
        "web.de", "orange.fr", "libero.it", "acme-corp.com", "globex.io", "initech.net", "umbrella.org", "example.co.uk",
    ];

    public static readonly string[] Products =
    [
        "Starter plan", "Pro plan", "Team plan", "mobile app", "desktop app", "browser extension", "API", "dashboard",
        "invoice portal", "gift card", "wireless headphones", "smart speaker", "laptop sleeve", "coffee grinder", "yoga mat",
        "running shoes", "backpack", "water bottle", "desk lamp", "phone case", "e-book reader", "monitor stand",
    ];

    /// <summary>Words that appear in subjects, each in a few per cent of tickets: what moderators search for.</summary>
    public static readonly string[] SubjectWords =
    [
        "refund", "invoice", "password", "delivery", "export", "crash", "discount", "subscription", "shipping", "warranty",
    ];

    private static readonly Dictionary<TicketCategory, string[]> SubjectTemplates = new()
    {
        [TicketCategory.General] =
        [
            "Question about my order #{order}", "Where is my delivery? Order {order}", "Refund for order #{order}",
            "Shipping costs to {country}", "Do you offer a discount for students?", "Warranty for my {product}",
            "Change the delivery address of order {order}", "Opening hours over the holidays", "Partnership enquiry",
            "Invoice for order {order} missing", "Return label for my {product}",
        ],
        [TicketCategory.Bug] =
        [
            "The {product} crashes when I open settings", "Export to CSV fails with an error", "Cannot upload a file larger than 10 MB",
            "Page stays blank after login", "Wrong totals on invoice {invoice}", "Push notifications arrive twice",
            "Search does not find my old orders", "The {product} shows the wrong currency",
        ],
        [TicketCategory.Feature] =
        [
            "Please add a dark mode to the {product}", "Feature request: export to PDF", "Could the {product} support two-factor login?",
            "Idea: monthly subscription discount", "Allow several delivery addresses", "Request: keyboard shortcuts in the {product}",
        ],
        [TicketCategory.Abuse] =
        [
            "Spam messages from user {handle}", "Phishing email pretending to be you", "Fake reviews on the {product} page",
            "Harassment in the community forum", "Someone uses my photos",
        ],
        [TicketCategory.Data] =
        [
            "GDPR request: export of my data", "Please delete my personal data", "Correct my billing address",
            "What data do you keep about me?", "Data export is incomplete",
        ],
        [TicketCategory.Account] =
        [
            "Cannot reset my password", "Account locked after too many attempts", "Change the email of my account",
            "Close my account and cancel the subscription", "Two-factor code never arrives", "Merge two accounts",
            "Password reset link expired",
        ],
        [TicketCategory.Other] =
        [
            "Feedback on your service", "Job application", "Press enquiry", "Thank you!", "Complaint about the courier",
            "Discount code {code} does not work",
        ],
    };

    private static readonly string[] Greetings = ["Hello,", "Hi there,", "Dear support team,", "Good morning,", "Hi,", "Hello team,"];

    private static readonly string[] Sentences =
    [
        "I ordered the {product} on {weekday} and it has still not arrived.",
        "The tracking page has shown the same status for five days now.",
        "Could you please tell me when I can expect the parcel?",
        "I was charged twice for order {order}, please refund the second payment.",
        "I attached a screenshot of the error message, although I am not sure the upload worked.",
        "This happens every time I try, on both my phone and my laptop.",
        "I already cleared the cache and tried another browser, without success.",
        "My colleague has the same problem since the last update.",
        "The invoice shows the wrong company name and VAT number.",
        "Our accounting department needs a corrected invoice by the end of the month.",
        "I would like to return the {product} because it does not fit my needs.",
        "The discount code from your newsletter was not applied at checkout.",
        "I have been a customer for {years} years and this never happened before.",
        "Please call me back at your earliest convenience; I am available in the afternoon.",
        "I cannot log in any more, the page says my password is wrong although I just reset it.",
        "The password reset email never reaches my inbox, not even the spam folder.",
        "When I click on export, the app shows a spinner and then nothing happens.",
        "It would save us a lot of time if the {product} could do this automatically.",
        "We are a team of {years}0 people and we would gladly pay more for this feature.",
        "Someone has been sending spam to our members from the account {handle}.",
        "I never signed up for this newsletter and I want to know where you got my address.",
        "Under the GDPR I request a copy of every piece of personal data you hold about me.",
        "Please delete my account and all the data associated with it.",
        "The courier left the parcel in front of the door and it was stolen.",
        "The subscription renewed although I cancelled it last month.",
        "Thank you for the quick help last time, it was much appreciated.",
        "The app crashes right after the splash screen since version 4.{years}.",
        "Shipping to {country} was announced as three days, it has been two weeks.",
        "The warranty card was missing from the box.",
        "Is there a way to change the delivery address after the order was placed?",
        "I think there is a mistake in the price shown on the product page.",
        "Kind regards and thanks in advance for looking into this.",
    ];

    private static readonly string[] SignOffs = ["Thanks,", "Best regards,", "Cheers,", "Kind regards,", "Thank you,", "Many thanks,"];

    private static readonly string[] Countries = ["Germany", "France", "Italy", "Spain", "Canada", "Japan", "Brazil", "Poland", "Ireland"];

    private static readonly string[] Weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

    private static readonly string[] NotePool =
    [
        "Customer called again, escalated to billing.", "Waiting for the courier's answer.", "Duplicate of an older ticket.",
        "Asked for the order confirmation.", "Known issue, fix planned for the next release.", "Spam, no action needed.",
        "Refund approved by finance.", "Forwarded to the product team.",
    ];

    private static readonly string[] ResolutionPool =
    [
        "Refund issued, it will show on your statement within five business days.",
        "We sent a new parcel with express shipping.", "Your password was reset; please check your inbox.",
        "The bug is fixed in version 4.12, please update the app.", "Your data was deleted as requested.",
        "Thanks for the suggestion, we added it to our roadmap.", "The corrected invoice is attached to your account.",
        "The account was suspended after our review.",
    ];

    public static readonly (TicketCategory Category, int Weight)[] CategoryWeights =
    [
        (TicketCategory.General, 38), (TicketCategory.Bug, 15), (TicketCategory.Feature, 9), (TicketCategory.Abuse, 3),
        (TicketCategory.Data, 5), (TicketCategory.Account, 18), (TicketCategory.Other, 12),
    ];

    public int Next(int max) => random.Next(max);

    public double NextDouble() => random.NextDouble();

    public T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    /// <summary>Customer <paramref name="n"/>'s name and address: the same customer always has the same ones.</summary>
    public static (string Name, string Email) Customer(int n)
    {
        var first = FirstNames[n % FirstNames.Length];
        var last = LastNames[n / FirstNames.Length % LastNames.Length];
        var domain = Domains[n / 7 % Domains.Length];
        var local = Ascii($"{first}.{last}").ToLowerInvariant();
        return ($"{first} {last}", $"{local}{n % 9973}@{domain}");
    }

    public (string Name, string Email) RandomCustomer() => Customer(random.Next(Customers));

    public TicketCategory Category()
    {
        var roll = random.Next(100);
        foreach (var (category, weight) in CategoryWeights)
        {
            if ((roll -= weight) < 0)
            {
                return category;
            }
        }
        return TicketCategory.Other;
    }

    public string Subject(TicketCategory category) => Fill(Pick(SubjectTemplates[category]));

    public string Message(string name)
    {
        var text = new StringBuilder(1024);
        text.Append(Pick(Greetings)).Append("\n\n");
        // Most messages are a short paragraph or two; a few are long.
        var sentences = random.NextDouble() < 0.1 ? 8 + random.Next(16) : 2 + random.Next(6);
        for (var i = 0; i < sentences; i++)
        {
            text.Append(Fill(Pick(Sentences))).Append(i % 3 == 2 ? "\n\n" : " ");
        }
        text.Append("\n\n").Append(Pick(SignOffs)).Append('\n').Append(name);
        return text.ToString();
    }

    public string Note() => Pick(NotePool);

    public string Resolution() => Pick(ResolutionPool);

    private string Fill(string template)
    {
        if (!template.Contains('{'))
        {
            return template;
        }
        return template
            .Replace("{order}", (100_000 + random.Next(900_000)).ToString())
            .Replace("{invoice}", $"INV-{2025 + random.Next(2)}-{random.Next(100_000):D5}")
            .Replace("{product}", Pick(Products))
            .Replace("{country}", Pick(Countries))
            .Replace("{weekday}", Pick(Weekdays))
            .Replace("{handle}", $"user{random.Next(1_000_000)}")
            .Replace("{code}", $"SAVE{random.Next(10, 60)}")
            .Replace("{years}", (1 + random.Next(9)).ToString());
    }

    /// <summary>Email local parts are plain ASCII: accents dropped (Léa Müller: lea.muller).</summary>
    private static string Ascii(string text)
    {
        var ascii = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            ascii.Append(c switch
            {
                'é' or 'è' or 'ë' => 'e',
                'ü' => 'u',
                'ö' => 'o',
                'í' => 'i',
                _ => c,
            });
        }
        return ascii.ToString();
    }
}
