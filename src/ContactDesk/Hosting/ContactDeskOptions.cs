using System.ComponentModel.DataAnnotations;

namespace ContactDesk.Hosting;

public sealed class ContactDeskOptions
{
    public const string Section = "ContactDesk";

    /// <summary>Base URL of this service as users reach it; links in emails start with it.</summary>
    [Required, Url]
    public string PublicBaseUrl { get; set; } = "http://localhost:5080";
}
