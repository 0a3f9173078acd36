using System.Security.Claims;
using System.Security.Cryptography;
using ContactDesk.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ContactDesk.Identity;

/// <summary>Issues the bearer tokens that <c>/auth/login</c> hands out and JwtBearer validates.</summary>
public sealed class JwtTokens(IOptions<AuthOptions> options, TimeProvider clock)
{
    private SymmetricSecurityKey? key;

    public SecurityKey Key => key ?? throw new InvalidOperationException("The signing key is loaded at start-up.");

    public TimeSpan Lifetime => TimeSpan.FromMinutes(options.Value.TokenLifetimeMinutes);

    /// <summary>Takes the configured key, or the database's (making it on first start).</summary>
    public async Task LoadKeyAsync(AppDbContext db, CancellationToken ct)
    {
        if (options.Value.SigningKey is { Length: > 0 } configured)
        {
            var bytes = Convert.FromBase64String(configured);
            if (bytes.Length < 32)
            {
                throw new OptionsValidationException(AuthOptions.Section, typeof(AuthOptions), ["Auth:SigningKey must be at least 32 bytes (base64)."]);
            }
            key = new SymmetricSecurityKey(bytes);
            return;
        }

        var stored = await db.SigningKeys.AsNoTracking().OrderBy(k => k.Id).FirstOrDefaultAsync(ct);
        if (stored is null)
        {
            // Id 1 is the primary key: when instances race on first start, one insert wins.
            db.SigningKeys.Add(new SigningKey { Id = 1, Key = RandomNumberGenerator.GetBytes(64), CreatedAt = clock.GetUtcNow().UtcDateTime });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException e) when (db.IsUniqueViolation(e))
            {
                db.ChangeTracker.Clear();
            }
            stored = await db.SigningKeys.AsNoTracking().OrderBy(k => k.Id).FirstAsync(ct);
        }
        key = new SymmetricSecurityKey(stored.Key);
    }

    public string Issue(AppUser user, IEnumerable<string> roles)
    {
        var claims = new List<Claim>
        {
            new(JwtRegisteredClaimNames.Sub, user.Id.ToString()),
            new(JwtRegisteredClaimNames.Name, user.Name),
            new(JwtRegisteredClaimNames.Email, user.Email!),
            new(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString()),
        };
        claims.AddRange(roles.Select(r => new Claim("role", r)));
        var now = clock.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = AuthOptions.Issuer,
            Audience = AuthOptions.Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now,
            NotBefore = now,
            Expires = now + Lifetime,
            SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.HmacSha256),
        });
    }

    public TokenValidationParameters ValidationParameters() => new()
    {
        ValidIssuer = AuthOptions.Issuer,
        ValidAudience = AuthOptions.Audience,
        IssuerSigningKeyResolver = (_, _, _, _) => [Key],
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        NameClaimType = JwtRegisteredClaimNames.Name,
        RoleClaimType = "role",
        ClockSkew = TimeSpan.FromSeconds(30),
    };
}
