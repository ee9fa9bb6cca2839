using Microsoft.Extensions.Options;

namespace DeepSeek.Pipeline.Security;

/// <summary>
/// The per-model allow lists (<see cref="AuthOptions.ModelAccess"/>, else <see cref="AuthOptions.DefaultModelAccess"/>):
/// a caller may use a model when any subject of its list matches. They apply to every caller, Admin included; with
/// authentication off every model is open.
/// </summary>
internal sealed class ModelAccessPolicy
{
    private readonly Dictionary<string, AccessSubject[]> _models = new(StringComparer.OrdinalIgnoreCase);
    private readonly AccessSubject[] _default;

    public ModelAccessPolicy(IOptions<AuthOptions> options)
    {
        var value = options.Value;
        foreach (var (model, list) in value.ModelAccess)
        {
            // The options validator reports malformed lists at start; one that still fails to parse allows no one.
            AccessSubject.TryParseList(list, out var subjects, out _);
            _models[model] = subjects;
        }

        AccessSubject.TryParseList(value.DefaultModelAccess, out _default, out _);
    }

    public bool Allows(CallerIdentity caller, string model)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.AuthenticationDisabled)
        {
            return true;
        }

        var subjects = _models.TryGetValue(model, out var listed) ? listed : _default;
        return subjects.Any(s => s.Matches(caller));
    }
}
