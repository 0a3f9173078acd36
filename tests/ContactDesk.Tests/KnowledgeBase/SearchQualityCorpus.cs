namespace ContactDesk.Tests.KnowledgeBase;

/// <summary>
/// 30 articles and 30 queries written for the search-quality test: each query names the article
/// that must be among the first three results. Queries use other word forms than the articles
/// (plurals, -ing, -ies), cut-off words ("passw") and words in another order.
/// </summary>
public static class SearchQualityCorpus
{
    public static readonly (string Title, string Body)[] Articles =
    [
        ("Request a refund", "You can ask for your money back within 30 days of purchase. Refunds go back to the original payment method within five business days."),
        ("Reset your password", "If you forgot your password, open the sign-in page and choose Forgot password. We email a reset link that is valid for one hour."),
        ("Track your order", "Every shipped order has a tracking number in the dispatch email. Enter it on the carrier's website to see where your parcel is."),
        ("Shipping times and costs", "Standard delivery takes three to five business days; express delivery arrives the next day. Shipping is free above 50 euros."),
        ("Cancel your subscription", "Subscriptions renew monthly. Cancel any time under Account, Billing; you keep access until the end of the paid period."),
        ("Change your email address", "Open Account settings and enter the new address. We send a confirmation link to it before the change takes effect."),
        ("Two-factor authentication", "Protect your account with a second step at sign-in: an authenticator app generates a six-digit code."),
        ("Update your payment method", "Replace an expired credit card or add a new one under Billing. We accept Visa, Mastercard and PayPal."),
        ("Download invoices", "Every payment creates an invoice as a PDF. Find all invoices under Billing, Invoices, and download them one by one or as a ZIP archive."),
        ("Return a damaged item", "If an item arrived broken or damaged, send us a photo within 14 days. We replace it or refund it, and pay for the return label."),
        ("Exchange a product for another size", "Clothing that does not fit can be exchanged for a different size free of charge within 30 days."),
        ("Delete your account", "Deleting your account removes your profile and order history permanently. Export your data first if you want to keep it."),
        ("Export your personal data", "Under Privacy you can request an export of all personal data we hold. The archive is ready within 24 hours."),
        ("Gift cards", "Gift cards never expire and can be used for any purchase. Enter the code at checkout; leftover balance stays on the card."),
        ("Discount codes not working", "A promo code applies to full-price items only and cannot be combined with other offers. Check the expiry date on the voucher."),
        ("International shipping and customs", "We ship to 40 countries. Orders outside the EU may be charged import duties and customs fees by the destination country."),
        ("Change or cancel an order", "An order can be changed or cancelled until it is packed, usually within two hours. After that, return it instead."),
        ("Missing items in a package", "If a parcel arrives incomplete, some items may ship separately. Check the dispatch email before contacting us."),
        ("Warranty and repairs", "Electronics come with a two-year warranty. For repairs, register the serial number and we arrange a pickup."),
        ("Mobile app login problems", "If the app does not let you sign in, update it to the latest version and clear its cache. Login problems after an update are usually fixed this way."),
        ("Notification settings", "Choose which emails and push notifications you receive under Settings, Notifications. Marketing newsletters can be turned off there too."),
        ("Unsubscribe from the newsletter", "Every newsletter has an unsubscribe link at the bottom. It takes effect immediately."),
        ("Accessibility features", "The website works with screen readers and keyboard navigation. High contrast mode can be switched on in the footer."),
        ("Store opening hours", "Our shops are open Monday to Saturday from 9 to 19. Holiday opening hours are listed on each store page."),
        ("Price match guarantee", "Found the same product cheaper elsewhere? We match the lower price if the competitor has it in stock."),
        ("Student discount", "Students get ten percent off with a verified university email address. Verification renews every year."),
        ("Business accounts and bulk orders", "Companies can open a business account for invoices with VAT numbers and volume pricing on bulk orders."),
        ("Pre-orders", "Pre-ordered products are charged when they ship. The expected release date is shown on the product page."),
        ("Loyalty points", "Collect one point per euro spent. Redeem points for vouchers in your account; points expire after two years."),
        ("Report a security vulnerability", "Found a vulnerability? Email our security team with steps to reproduce; we respond within two days and credit responsible disclosure."),
    ];

    /// <summary>A query and the index (in <see cref="Articles"/>) of the article it must find in the top 3.</summary>
    public static readonly (string Query, int Expected)[] Queries =
    [
        ("refunds", 0),
        ("forgot passw", 1),
        ("where is my parcel tracking", 2),
        ("delivery time", 3),
        ("cancel subscrip", 4),
        ("change email address", 5),
        ("authenticator code", 6),
        ("expired credit card", 7),
        ("invoice pdf", 8),
        ("damaged item arrived broken", 9),
        ("exchange size", 10),
        ("deleting account", 11),
        ("export personal dat", 12),
        ("gift card balance", 13),
        ("promo code not working", 14),
        ("customs fees", 15),
        ("cancelling order", 16),
        ("package incomplete", 17),
        ("repair warranty", 18),
        ("app login", 19),
        ("push notifications", 20),
        ("unsubscribe newsletter", 21),
        ("screen reader", 22),
        ("opening hours", 23),
        ("cheaper price", 24),
        ("student discount", 25),
        ("bulk orders vat", 26),
        ("pre-order release", 27),
        ("redeem loyalty points", 28),
        ("security vulnerabilities", 29),
    ];
}
