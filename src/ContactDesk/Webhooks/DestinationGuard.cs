using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace ContactDesk.Webhooks;

/// <summary>
/// Keeps webhooks away from the service's own network (SSRF): loopback, private, link-local (cloud
/// metadata at 169.254.169.254), CGNAT, unspecified, multicast and IPv6 unique-local addresses are
/// refused, checked on every address a name resolves to when a webhook is saved, and again on the
/// address each connection is actually made to (so a name that resolves elsewhere later, DNS
/// rebinding, gains nothing). <c>Webhooks:AllowPrivateNetworks</c> lifts it.
/// </summary>
public sealed class DestinationGuard(IOptionsMonitor<WebhookOptions> options)
{
    public bool AllowPrivate => options.CurrentValue.AllowPrivateNetworks;

    /// <summary>Null when the URL is acceptable, else why not (for the field error).</summary>
    public async Task<string?> CheckUrlAsync(string? url, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(url) || url.Length > 2000 || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.Host))
        {
            return "Must be an absolute http or https URL of at most 2000 characters.";
        }
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "Must not contain a user name or password.";
        }
        if (AllowPrivate)
        {
            return null;
        }
        IPAddress[] addresses;
        try
        {
            addresses = IPAddress.TryParse(uri.IdnHost, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(uri.IdnHost, ct);
        }
        catch (SocketException)
        {
            return $"The host '{uri.Host}' does not resolve.";
        }
        if (addresses.Length == 0)
        {
            return $"The host '{uri.Host}' does not resolve.";
        }
        return addresses.FirstOrDefault(IsRefused) is { } refused
            ? $"The host '{uri.Host}' resolves to {refused}, a loopback, private or link-local address; webhooks may only call public addresses."
            : null;
    }

    /// <summary>
    /// The connection of the webhooks' HTTP client: resolves the host, refuses a forbidden address
    /// and connects to exactly the address it checked.
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var endpoint = context.DnsEndPoint;
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(endpoint.Host, ct);
        if (!AllowPrivate && addresses.FirstOrDefault(IsRefused) is { } refused)
        {
            throw new HttpRequestException($"Refused to connect to {endpoint.Host} ({refused}): a loopback, private or link-local address.");
        }
        Exception? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endpoint.Port), ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw new HttpRequestException($"Could not connect to {endpoint.Host}:{endpoint.Port}: {last?.Message ?? "no address"}", last);
    }

    /// <summary>True for an address a webhook must not reach.</summary>
    public static bool IsRefused(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return b[0] switch
            {
                0 or 10 or 127 => true,                          // "this" network, private, loopback
                100 => b[1] is >= 64 and <= 127,                 // CGNAT 100.64.0.0/10
                169 => b[1] == 254,                              // link-local, cloud metadata
                172 => b[1] is >= 16 and <= 31,                  // private
                192 => b[1] == 168 || (b[1] == 0 && b[2] == 0),   // private; IETF protocol assignments
                198 => b[1] is 18 or 19,                         // benchmarking
                >= 224 => true,                                  // multicast, reserved, broadcast
                _ => false,
            };
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return IPAddress.IPv6Loopback.Equals(address) || IPAddress.IPv6None.Equals(address)
                || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
                || (b[0] & 0xFE) == 0xFC                         // unique local fc00::/7
                || (b[0] == 0x20 && b[1] == 0x02 && IsRefused(new IPAddress(b[2..6]))) // 6to4 around a refused IPv4
                || (b[0] == 0 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && IsRefused(new IPAddress(b[12..16]))); // NAT64 around a refused IPv4
        }
        return true;
    }
}
