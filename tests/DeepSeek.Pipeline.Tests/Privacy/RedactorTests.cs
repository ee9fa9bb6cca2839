using DeepSeek.Moe.Engine;
using DeepSeek.Pipeline.Privacy;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DeepSeek.Pipeline.Tests.Privacy;

public sealed class RedactorTests
{
    public const string Key = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    [Theory]
    [InlineData("write to Jane.Doe@Example.org please", "Jane.Doe@Example.org", "pii:email:")]
    [InlineData("card 4111 1111 1111 1111 exp 12/29", "4111 1111 1111 1111", "pii:card:")]
    [InlineData("card 5500-0000-0000-0004", "5500-0000-0000-0004", "pii:card:")]
    [InlineData("IBAN GB82 WEST 1234 5698 7654 32", "GB82 WEST 1234 5698 7654 32", "pii:iban:")]
    [InlineData("iban DE89370400440532013000.", "DE89370400440532013000", "pii:iban:")]
    [InlineData("ssn 078-05-1120 on file", "078-05-1120", "pii:national-id:us-ssn:")]
    [InlineData("call +1 (415) 555-0100 today", "+1 (415) 555-0100", "pii:phone:")]
    [InlineData("Authorization: Bearer abc.DEF-123_xyz~+/=", "Bearer abc.DEF-123_xyz~+/=", "pii:secret:")]
    [InlineData("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sgn4ture_x", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sgn4ture_x", "pii:secret:")]
    [InlineData("conn AccountKey=Zm9vYmFy+/== ok", "Zm9vYmFy+/==", "pii:secret:")]
    public void Redact_RecognizedValue_ReplacedByPseudonym(string text, string secret, string pseudonymPrefix)
    {
        var redacted = Redactor().Redact(text);

        Assert.DoesNotContain(secret, redacted, StringComparison.Ordinal);
        Assert.Contains(pseudonymPrefix, redacted, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("card 4111 1111 1111 1112")]
    [InlineData("iban GB82 WEST ABCD EFGH IJKL 33")]
    [InlineData("version 1.2.3 and pi 3.14159265358979")]
    [InlineData("seed 42, rows 7")]
    public void Redact_NotPersonalData_Unchanged(string text) => Assert.Equal(text, Redactor().Redact(text));

    [Fact]
    public void Pseudonym_SameValueAnyFormat_SameKeyedPseudonym()
    {
        var a = Redactor().Redact("4111111111111111");
        var b = Redactor().Redact("4111-1111-1111-1111");
        var otherKey = Redactor(key: Convert.ToBase64String(new byte[32])).Redact("4111111111111111");

        Assert.Equal(a, b);
        Assert.NotEqual(a, otherKey);
        Assert.Matches("^pii:card:[0-9a-f]{16}$", a);
    }

    [Fact]
    public void Redact_MaskStyle_KeepsNothingLinkable()
    {
        var redactor = Redactor(style: RedactionStyle.Mask);

        Assert.Equal("mail [redacted:email] and [redacted:email]", redactor.Redact("mail a@b.io and c@d.io"));
    }

    [Fact]
    public void Metadata_CredentialKeysAndValues_Redacted()
    {
        var metadata = new Dictionary<string, string?>
        {
            ["Authorization"] = "opaque-token-without-shape",
            ["patient"] = "jane@example.org, 078-05-1120",
            ["ward"] = "B4",
        };

        var redacted = Redactor().CheckAndRedact(metadata, "metadata")!;

        Assert.StartsWith("pii:secret:", redacted["Authorization"], StringComparison.Ordinal);
        Assert.DoesNotContain("jane@example.org", redacted["patient"], StringComparison.Ordinal);
        Assert.DoesNotContain("078-05-1120", redacted["patient"], StringComparison.Ordinal);
        Assert.Equal("B4", redacted["ward"]);
    }

    [Fact]
    public void Metadata_TooLongValue_RefusedWithoutRepeatingIt()
    {
        var value = "secret-" + new string('x', 2000);

        var ex = Assert.Throws<InvalidInputException>(() => Redactor().CheckAndRedact(new Dictionary<string, string?> { ["k"] = value }, "metadata"));

        Assert.Equal("metadata", ex.Field);
        Assert.DoesNotContain("secret-", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NationalIdPatterns_Configured_Recognized()
    {
        var options = new PrivacyOptions();
        options.NationalIdPatterns["nl-bsn"] = @"\bBSN\s?\d{9}\b";
        var redactor = new Redactor(new Pseudonymizer(Options.Create(options), NullLogger<Pseudonymizer>.Instance), Options.Create(options));

        Assert.StartsWith("id pii:national-id:nl-bsn:", redactor.Redact("id BSN 123456782"), StringComparison.Ordinal);
    }

    [Fact]
    public void Luhn_KnownNumbers() =>
        Assert.Equal([true, true, false], new[] { "4111111111111111", "79927398713", "79927398710" }.Select(PiiRecognizers.IsLuhnValid));

    [Fact]
    public void Caller_Pseudonymized_StableAndNeverTheId()
    {
        var pseudonyms = new Pseudonymizer(Options.Create(new PrivacyOptions { PseudonymKey = Key }), NullLogger<Pseudonymizer>.Instance);

        var caller = pseudonyms.Caller("alice@bank.example");

        Assert.Equal(caller, pseudonyms.Caller("alice@bank.example"));
        Assert.Matches("^pii:caller:[0-9a-f]{16}$", caller!);
        Assert.Null(pseudonyms.Caller(null));
    }

    internal static Redactor Redactor(string key = Key, RedactionStyle style = RedactionStyle.Pseudonymize)
    {
        var options = Options.Create(new PrivacyOptions { PseudonymKey = key, Redaction = style });
        return new Redactor(new Pseudonymizer(options, NullLogger<Pseudonymizer>.Instance), options);
    }
}
