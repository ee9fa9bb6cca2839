using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace DeepSeek.Pipeline.Audit;

/// <summary>Checks the seal settings at start (algorithm known, key decodable and long enough), so a bad key fails the host, not the first seal.</summary>
internal sealed class AuditOptionsValidator : IValidateOptions<AuditOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditOptions options)
    {
        try
        {
            SealSigner.Create(options.Seal)?.Dispose();
            return ValidateOptionsResult.Success;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or CryptographicException)
        {
            return ValidateOptionsResult.Fail($"{AuditOptions.SectionName}:Seal: {ex.Message}");
        }
    }
}
