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

    /// <summary>What a message says about its topic: one or two of these per message.</summary>
    private static readonly Dictionary<TicketCategory, string[]> TopicSentences = new()
    {
        [TicketCategory.General] =
        [
            "I ordered the {product} on {weekday} and it has still not arrived.",
            "The tracking page has shown the same status for five days now.",
            "Could you please tell me when I can expect the parcel?",
            "I was charged twice for order {order}, please refund the second payment.",
            "I would like to return the {product} because it does not fit my needs.",
            "The courier left the parcel in front of the door and it was stolen.",
            "Shipping to {country} was announced as three days, it has been two weeks.",
            "The warranty card was missing from the box.",
            "Is there a way to change the delivery address after the order was placed?",
            "I think there is a mistake in the price shown on the product page.",
            "The box arrived damaged and one of the items is broken.",
            "Do you ship to {country}, and how much would it cost?",
            "My invoice for order {order} was never sent to me.",
            "I received the wrong colour, I asked for black.",
        ],
        [TicketCategory.Bug] =
        [
            "When I click on export, the app shows a spinner and then nothing happens.",
            "The app crashes right after the splash screen since version 4.{years}.",
            "I attached a screenshot of the error message, although I am not sure the upload worked.",
            "This happens every time I try, on both my phone and my laptop.",
            "I already cleared the cache and tried another browser, without success.",
            "My colleague has the same problem since the last update.",
            "The totals on the invoice do not add up, the tax seems to be counted twice.",
            "The page freezes when I scroll down to the comments.",
            "Notifications keep coming although I switched them off in the settings.",
            "The search box returns results from other accounts.",
        ],
        [TicketCategory.Feature] =
        [
            "It would save us a lot of time if the {product} could do this automatically.",
            "We are a team of {years}0 people and we would gladly pay more for this feature.",
            "Other tools we use already offer this, so it would be great to have it here too.",
            "A simple checkbox in the settings would be enough for us.",
            "Could you let me know whether this is on your roadmap?",
            "An export in a format our accountants can open would help a lot.",
        ],
        [TicketCategory.Abuse] =
        [
            "Someone has been sending spam to our members from the account {handle}.",
            "The messages contain links to a fake login page.",
            "Several reviews on the {product} page were clearly written by the same person.",
            "This user keeps insulting people in the forum despite warnings.",
        ],
        [TicketCategory.Data] =
        [
            "Under the GDPR I request a copy of every piece of personal data you hold about me.",
            "Please delete my account and all the data associated with it.",
            "I never signed up for this newsletter and I want to know where you got my address.",
            "My billing address changed, the new one is in my profile.",
            "The data export I downloaded is missing my orders from last year.",
        ],
        [TicketCategory.Account] =
        [
            "I cannot log in any more, the page says my password is wrong although I just reset it.",
            "The password reset email never reaches my inbox, not even the spam folder.",
            "The subscription renewed although I cancelled it last month.",
            "I would like to change the email address of my account.",
            "The two-factor code arrives only after it has already expired.",
            "My account was locked after I mistyped my password a few times.",
        ],
        [TicketCategory.Other] =
        [
            "Thank you for the quick help last time, it was much appreciated.",
            "I would like to know whether you have open positions in {country}.",
            "I am writing an article about small online shops and would like to ask a few questions.",
            "The courier was very rude when he delivered the parcel.",
            "The discount code {code} from your newsletter was not applied at checkout.",
        ],
    };

    /// <summary>What any message may also say.</summary>
    private static readonly string[] GenericSentences =
    [
        "I have been a customer for {years} years and this never happened before.",
        "Please call me back at your earliest convenience; I am available in the afternoon.",
        "My customer number should be in your system under this email address.",
        "I already wrote to you last week but did not get an answer.",
        "It is quite urgent for me, so I would appreciate a quick reply.",
        "You can reach me by phone on weekdays between nine and five.",
        "I hope this is the right place to ask.",
        "Let me know if you need any more details from my side.",
        "I tried the chat on your website first, but nobody answered.",
        "Sorry for my English, it is not my first language.",
        "This is the second time this month that something like this happens.",
        "A friend recommended your shop to me, so I was surprised.",
        "I looked through the help pages but could not find an answer.",
        "My order was placed through the mobile app, if that matters.",
        "I am travelling next week, so an answer before then would be great.",
        "Thanks for looking into this.",
        "Kind regards and thanks in advance for looking into this.",
        "I am happy to send a photo if that helps.",
        "We use your service at work and at home.",
        "Everything else has worked fine so far.",
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

    public string Message(string name, TicketCategory category)
    {
        var text = new StringBuilder(1024);
        text.Append(Pick(Greetings)).Append("\n\n");
        // One or two sentences about the topic and a few general ones; now and then a long story.
        var topic = TopicSentences[category];
        var sentences = new List<string> { Pick(topic) };
        if (random.NextDouble() < 0.4)
        {
            sentences.Add(Pick(topic));
        }
        var more = random.NextDouble() < 0.1 ? 8 + random.Next(14) : random.Next(5);
        for (var i = 0; i < more; i++)
        {
            sentences.Insert(random.Next(sentences.Count + 1), Pick(GenericSentences));
        }
        for (var i = 0; i < sentences.Count; i++)
        {
            text.Append(Fill(sentences[i])).Append(i % 3 == 2 ? "\n\n" : " ");
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
