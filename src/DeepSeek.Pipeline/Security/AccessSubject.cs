namespace DeepSeek.Pipeline.Security;

/// <summary>
/// One entry of a model allow list: <c>*</c> (every caller), <c>none</c>, or <c>kind:value</c> with kind
/// <c>tenant</c>, <c>role</c>, <c>group</c>, <c>client</c> or <c>caller</c>. Values compare case-insensitively (ids typed by people).
/// </summary>
/// <param name="Kind">The kind (<c>*</c> and <c>none</c> are their own kinds).</param>
/// <param name="Value">The value, empty for <c>*</c> and <c>none</c>.</param>
internal readonly record struct AccessSubject(string Kind, string Value)
{
    private static readonly string[] s_kinds = ["tenant", "role", "group", "client", "caller"];

    public bool Matches(CallerIdentity caller) => Kind switch
    {
        "*" => true,
        "tenant" => Same(caller.Tenant),
        // The roles as the credential carries them: Admin implies the route roles, not a place on a model's list.
        "role" => caller.Roles.Contains(Value, StringComparer.OrdinalIgnoreCase),
        "group" => caller.Groups.Contains(Value, StringComparer.OrdinalIgnoreCase),
        "client" => Same(caller.ClientId),
        "caller" => Same(caller.Caller),
        _ => false,
    };

    /// <summary>Parses a comma-separated list.</summary>
    /// <param name="list">The list.</param>
    /// <param name="subjects">The subjects; empty (no one) unless every entry parses.</param>
    /// <param name="error">What is wrong, otherwise.</param>
    /// <returns>True when every entry parses.</returns>
    public static bool TryParseList(string? list, out AccessSubject[] subjects, out string? error)
    {
        var parsed = new List<AccessSubject>();
        var bad = new List<string>();
        foreach (var entry in AuthOptions.List(list))
        {
            int colon = entry.IndexOf(':', StringComparison.Ordinal);
            if (entry is "*" or "none")
            {
                parsed.Add(new AccessSubject(entry, ""));
            }
            else if (colon > 0 && colon < entry.Length - 1 && s_kinds.Contains(entry[..colon].ToLowerInvariant()))
            {
                parsed.Add(new AccessSubject(entry[..colon].ToLowerInvariant(), entry[(colon + 1)..]));
            }
            else
            {
                bad.Add(entry);
            }
        }

        if (parsed.Count == 0 && bad.Count == 0)
        {
            bad.Add("(empty)");
        }

        error = bad.Count == 0 ? null
            : $"'{string.Join("', '", bad)}' is not a subject; use *, none, or tenant:ID, role:NAME, group:ID, client:ID, caller:ID, comma-separated";
        subjects = error is null ? [.. parsed] : [];
        return error is null;
    }

    private bool Same(string? value) => value is not null && string.Equals(value, Value, StringComparison.OrdinalIgnoreCase);
}
