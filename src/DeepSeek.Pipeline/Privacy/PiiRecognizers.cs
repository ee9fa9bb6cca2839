using System.Text;
using System.Text.RegularExpressions;

namespace DeepSeek.Pipeline.Privacy;

/// <summary>
/// The recognizers of personal data and secrets, in priority order (an earlier kind wins an overlap): secrets
/// (bearer and basic credentials, JWTs, <c>key=value</c> secrets, access key ids), emails, IBANs (mod-97 checked),
/// card numbers (13-19 digits, Luhn checked), national ids (configured patterns), phone numbers (7-15 digits).
/// </summary>
internal static partial class PiiRecognizers
{
    public const string Secret = "secret";
    public const string Email = "email";
    public const string Iban = "iban";
    public const string Card = "card";
    public const string NationalId = "national-id";
    public const string Phone = "phone";

    public static readonly string[] AllKinds = [Secret, Email, Iban, Card, NationalId, Phone];

    private const int TimeoutMs = 250;

    public static void FindSecrets(string text, List<PiiMatch> found)
    {
        AddAll(found, Credential(), text, Secret, 0, m => m.Value);
        AddAll(found, Jwt(), text, Secret, 0, m => m.Value);
        AddAll(found, AccessKeyId(), text, Secret, 0, m => m.Value);
        foreach (Match m in KeyValueSecret().Matches(text))
        {
            var v = m.Groups["v"];
            found.Add(new PiiMatch(Secret, v.Index, v.Length, v.Value, 0));
        }
    }

    public static void FindEmails(string text, List<PiiMatch> found, int priority) =>
        AddAll(found, EmailPattern(), text, Email, priority, m => m.Value.ToLowerInvariant());

    public static void FindIbans(string text, List<PiiMatch> found, int priority)
    {
        foreach (Match m in IbanPattern().Matches(text))
        {
            if (LongestValid(m.Value, v => IsValidIban(v.ToUpperInvariant())) is { } length)
            {
                found.Add(new PiiMatch(Iban, m.Index, length, Compact(m.Value[..length]).ToUpperInvariant(), priority));
            }
        }
    }

    public static void FindCards(string text, List<PiiMatch> found, int priority)
    {
        foreach (Match m in CardPattern().Matches(text))
        {
            if (LongestValid(m.Value, d => d.Length is >= 13 and <= 19 && IsLuhnValid(d)) is { } length)
            {
                found.Add(new PiiMatch(Card, m.Index, length, Compact(m.Value[..length]), priority));
            }
        }
    }

    public static void FindPattern(string text, Regex pattern, string name, List<PiiMatch> found, int priority) =>
        AddAll(found, pattern, text, NationalId + ":" + name, priority, m => Compact(m.Value).ToUpperInvariant());

    public static void FindPhones(string text, List<PiiMatch> found, int priority)
    {
        foreach (Match m in PhonePattern().Matches(text))
        {
            var digits = Compact(m.Value);
            var value = m.Value;
            int separators = value.Count(c => c is ' ' or '-' or '(' or ')');
            int dots = value.Count(c => c == '.');
            // A decimal number (0.123456789) is not a phone number; 555.123.4567 and +4930123456 are.
            bool phoneShaped = value.StartsWith('+') || separators > 0 || dots >= 2 || (dots == 0 && digits.Length >= 10);
            if (digits.Length is >= 7 and <= 15 && phoneShaped)
            {
                found.Add(new PiiMatch(Phone, m.Index, m.Length, digits, priority));
            }
        }
    }

    /// <summary>Tells whether a digit string passes the Luhn check (card numbers).</summary>
    public static bool IsLuhnValid(string digits)
    {
        int sum = 0;
        bool doubled = false;
        for (int i = digits.Length - 1; i >= 0; i--)
        {
            int d = digits[i] - '0';
            if (d is < 0 or > 9)
            {
                return false;
            }

            if (doubled)
            {
                d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            }

            sum += d;
            doubled = !doubled;
        }

        return digits.Length > 0 && sum % 10 == 0;
    }

    /// <summary>Tells whether a compact uppercase IBAN passes the ISO 13616 mod-97 check.</summary>
    public static bool IsValidIban(string iban)
    {
        if (iban.Length is < 15 or > 34)
        {
            return false;
        }

        int remainder = 0;
        foreach (char c in iban[4..] + iban[..4])
        {
            int value = c is >= '0' and <= '9' ? c - '0' : c is >= 'A' and <= 'Z' ? c - 'A' + 10 : -1;
            if (value < 0)
            {
                return false;
            }

            remainder = value < 10 ? (remainder * 10 + value) % 97 : (remainder * 100 + value) % 97;
        }

        return remainder == 1;
    }

    // The greedy patterns may run on into a following group ("GB82 WEST ... 32 please", "4111... 12"): the longest
    // prefix that ends at a group boundary and passes the check is the value.
    private static int? LongestValid(string match, Func<string, bool> valid)
    {
        for (int end = match.Length; end > 0; end = match.LastIndexOfAny([' ', '-'], end - 1))
        {
            var candidate = match[..end].TrimEnd(' ', '-');
            if (candidate.Length > 0 && valid(Compact(candidate)))
            {
                return candidate.Length;
            }
        }

        return null;
    }

    private static void AddAll(List<PiiMatch> found, Regex pattern, string text, string kind, int priority, Func<Match, string> normalize)
    {
        foreach (Match m in pattern.Matches(text))
        {
            found.Add(new PiiMatch(kind, m.Index, m.Length, normalize(m), priority));
        }
    }

    private static string Compact(string value)
    {
        var b = new StringBuilder(value.Length);
        foreach (char c in value)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                b.Append(c);
            }
        }

        return b.ToString();
    }

    [GeneratedRegex(@"\b(?:bearer|basic)\s+[A-Za-z0-9\-._~+/]+=*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex Credential();

    [GeneratedRegex(@"\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex Jwt();

    [GeneratedRegex(@"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex AccessKeyId();

    [GeneratedRegex(@"\b(?:api[_-]?key|access[_-]?key|access[_-]?token|refresh[_-]?token|client[_-]?secret|secret|password|passwd|pwd|token|sig|accountkey|sharedaccesskey|code)\s*[:=]\s*(?<v>[^\s;&,""']+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex KeyValueSecret();

    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"\b[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){11,30}\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex IbanPattern();

    [GeneratedRegex(@"(?<![0-9.,])(?:[0-9][ -]?){12,18}[0-9](?![0-9]|[.,][0-9])", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex CardPattern();

    [GeneratedRegex(@"(?<![\w.+])\+?[0-9(][0-9 ().-]{5,}[0-9](?![\w])", RegexOptions.CultureInvariant, TimeoutMs)]
    private static partial Regex PhonePattern();
}
