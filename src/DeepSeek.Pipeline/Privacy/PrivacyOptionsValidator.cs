using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace DeepSeek.Pipeline.Privacy;

/// <summary>Checks what DataAnnotations cannot: the key's encoding and length, recognizer names, and that every pattern compiles. Reports every error.</summary>
internal sealed class PrivacyOptionsValidator : IValidateOptions<PrivacyOptions>
{
    public ValidateOptionsResult Validate(string? name, PrivacyOptions options)
    {
        var errors = new List<string>();
        var section = PrivacyOptions.SectionName;
        if (!string.IsNullOrWhiteSpace(options.PseudonymKey))
        {
            var key = new byte[options.PseudonymKey.Length];
            if (!Convert.TryFromBase64String(options.PseudonymKey, key, out int length) || length < 32)
            {
                errors.Add($"{section}:{nameof(PrivacyOptions.PseudonymKey)} must be base64 of at least 32 random bytes (for example `openssl rand -base64 32`).");
            }
        }

        foreach (var kind in options.Recognizers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!PiiRecognizers.AllKinds.Contains(kind))
            {
                errors.Add($"{section}:{nameof(PrivacyOptions.Recognizers)}: '{kind}' is not one of {string.Join(", ", PiiRecognizers.AllKinds)}.");
            }
        }

        foreach (var (patternName, pattern) in options.NationalIdPatterns)
        {
            try
            {
                _ = new Regex(pattern, RegexOptions.CultureInvariant);
            }
            catch (ArgumentException ex)
            {
                errors.Add($"{section}:{nameof(PrivacyOptions.NationalIdPatterns)}:{patternName} is not a valid regular expression: {ex.Message}");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
