using System.Text;
using System.Text.RegularExpressions;
using DeepSeek.Moe.Engine;
using Microsoft.Extensions.Options;

namespace DeepSeek.Pipeline.Privacy;

/// <summary>
/// Replaces personal data and secrets in free text and request metadata before anything is stored or logged:
/// every enabled recognizer runs over the original text, overlaps go to the higher-priority kind, and each match
/// becomes a keyed pseudonym (<c>pii:email:3f9a...</c>) or a mask (<c>[redacted:email]</c>). Thread-safe; a DI singleton.
/// </summary>
public sealed partial class Redactor
{
    private readonly Pseudonymizer _pseudonyms;
    private readonly RedactionStyle _style;
    private readonly HashSet<string> _kinds;
    private readonly (string Name, Regex Pattern)[] _nationalIds;
    private readonly PrivacyOptions _options;

    /// <summary>Initializes the redactor from the privacy options.</summary>
    /// <param name="pseudonyms">The pseudonymizer.</param>
    /// <param name="options">The options (recognizers, national id patterns, style).</param>
    public Redactor(Pseudonymizer pseudonyms, IOptions<PrivacyOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _pseudonyms = pseudonyms;
        var o = _options = options.Value;
        _style = o.Redaction;
        _kinds = [.. o.Recognizers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        _nationalIds = [.. o.NationalIdPatterns.Where(p => p.Value.Length > 0).OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => (p.Key, new Regex(p.Value, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(250))))];
    }

    /// <summary>Redacts a text.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The text with every recognized value replaced; the same instance when nothing was found.</returns>
    public string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var found = Find(text);
        if (found.Count == 0)
        {
            return text;
        }

        var kept = new List<PiiMatch>();
        foreach (var m in found.OrderBy(m => m.Priority).ThenBy(m => m.Start).ThenByDescending(m => m.Length))
        {
            if (kept.All(k => m.End <= k.Start || m.Start >= k.End))
            {
                kept.Add(m);
            }
        }

        var result = new StringBuilder(text.Length);
        int at = 0;
        foreach (var m in kept.OrderBy(m => m.Start))
        {
            result.Append(text, at, m.Start - at).Append(Replacement(m.Kind, m.Normalized));
            at = m.End;
        }

        return result.Append(text, at, text.Length - at).ToString();
    }

    /// <summary>Checks request metadata against the configured limits, then redacts it (see <see cref="Redact(IReadOnlyDictionary{string, string}?)"/>).</summary>
    /// <param name="metadata">The metadata as the caller sent it, or null.</param>
    /// <param name="field">The field name for errors (for example <c>metadata</c>).</param>
    /// <returns>The redacted metadata, or null.</returns>
    /// <exception cref="InvalidInputException">Too many entries, a key or value too long, or a null value; the message never repeats a key or value.</exception>
    public SortedDictionary<string, string>? CheckAndRedact(IReadOnlyDictionary<string, string?>? metadata, string field)
    {
        if (metadata is null)
        {
            return null;
        }

        if (metadata.Count > _options.MaxMetadataEntries)
        {
            throw new InvalidInputException(field, $"holds {metadata.Count} entries; at most {_options.MaxMetadataEntries} are accepted");
        }

        int n = 0;
        var checkedEntries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in metadata)
        {
            n++;
            if (key.Length == 0 || key.Length > _options.MaxMetadataKeyLength)
            {
                throw new InvalidInputException(field, $"entry {n} has a key of {key.Length} characters; keys hold 1 to {_options.MaxMetadataKeyLength}");
            }

            if (value is null || value.Length > _options.MaxMetadataValueLength)
            {
                throw new InvalidInputException(field, $"entry {n} has {(value is null ? "a null value" : $"a value of {value.Length} characters")}; values are strings of at most {_options.MaxMetadataValueLength}");
            }

            checkedEntries[key] = value;
        }

        return Redact(checkedEntries);
    }

    /// <summary>
    /// Redacts request metadata: keys and values as text, and the whole value of a key that names a credential
    /// (<c>authorization</c>, <c>password</c>, <c>token</c>, <c>api-key</c>, <c>cookie</c>, ...).
    /// </summary>
    /// <param name="metadata">The metadata, or null.</param>
    /// <returns>The redacted metadata (keys in ordinal order), or null for null or empty.</returns>
    public SortedDictionary<string, string>? Redact(IReadOnlyDictionary<string, string>? metadata)
    {
        if (metadata is null || metadata.Count == 0)
        {
            return null;
        }

        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in metadata)
        {
            var redactedKey = Redact(key);
            var redacted = CredentialKey().IsMatch(key) ? Replacement(PiiRecognizers.Secret, value ?? "") : Redact(value ?? "");
            // Two keys that redact alike (two emails as keys) must not overwrite each other.
            var unique = redactedKey;
            for (int n = 2; result.ContainsKey(unique); n++)
            {
                unique = $"{redactedKey}#{n}";
            }

            result[unique] = redacted;
        }

        return result;
    }

    private List<PiiMatch> Find(string text)
    {
        var found = new List<PiiMatch>();
        if (_kinds.Contains(PiiRecognizers.Secret))
        {
            PiiRecognizers.FindSecrets(text, found);
        }

        if (_kinds.Contains(PiiRecognizers.Email))
        {
            PiiRecognizers.FindEmails(text, found, 1);
        }

        if (_kinds.Contains(PiiRecognizers.Iban))
        {
            PiiRecognizers.FindIbans(text, found, 2);
        }

        if (_kinds.Contains(PiiRecognizers.Card))
        {
            PiiRecognizers.FindCards(text, found, 3);
        }

        if (_kinds.Contains(PiiRecognizers.NationalId))
        {
            foreach (var (name, pattern) in _nationalIds)
            {
                PiiRecognizers.FindPattern(text, pattern, name, found, 4);
            }
        }

        if (_kinds.Contains(PiiRecognizers.Phone))
        {
            PiiRecognizers.FindPhones(text, found, 5);
        }

        return found;
    }

    private string Replacement(string kind, string normalized) =>
        _style == RedactionStyle.Mask ? $"[redacted:{kind}]" : _pseudonyms.Pseudonym(kind, normalized);

    [GeneratedRegex(@"authorization|password|passwd|secret|token|api[-_]?key|cookie|credential|signature|private[-_]?key", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CredentialKey();
}
