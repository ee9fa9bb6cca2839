using System.Globalization;
using System.Text.Json;

namespace DeepSeek.Deployment.Tests.Arm;

/// <summary>
/// Evaluates template values the way Azure Resource Manager would before deploying: parameters (given or
/// default), variables (loops included), the functions bicep compiles to, user-defined functions and module
/// parameters. What only a deployment knows (reference(), resourceId(), subscription(), ...) becomes an
/// <see cref="ArmSymbol"/> naming the call, so a test can still see which output went where.
/// Values: string, long, bool, null, List&lt;object?&gt;, Dictionary&lt;string, object?&gt;, ArmSymbol.
/// </summary>
internal sealed class ArmEvaluator
{
    private readonly JsonElement _template;
    private readonly Dictionary<string, object?> _parameters;
    private readonly Dictionary<string, object?> _variables = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, object?> _lambda = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _copy = new(StringComparer.Ordinal);

    private ArmEvaluator(JsonElement template, Dictionary<string, object?> parameters)
    {
        _template = template;
        _parameters = parameters;
    }

    /// <summary>Starts evaluating a template with some parameter values; the others take their defaults.</summary>
    public static ArmEvaluator For(JsonElement template, IReadOnlyDictionary<string, object?> given)
    {
        var evaluator = new ArmEvaluator(template, new Dictionary<string, object?>(given, StringComparer.OrdinalIgnoreCase));
        if (template.TryGetProperty("parameters", out var declared))
        {
            foreach (var parameter in declared.EnumerateObject().Where(p => !given.ContainsKey(p.Name)))
            {
                evaluator._parameters[parameter.Name] = parameter.Value.TryGetProperty("defaultValue", out var value)
                    ? evaluator.Value(value)
                    : throw new InvalidOperationException($"Parameter {parameter.Name} has no default: give it a value.");
            }
        }

        return evaluator;
    }

    /// <summary>Evaluates the template of a module, its parameters computed here (copyIndex() = index for module loops).</summary>
    public ArmEvaluator Module(JsonElement module, long index = 0)
    {
        _copy[""] = index;
        var given = module.GetProperty("properties").GetProperty("parameters").EnumerateObject()
            .ToDictionary(p => p.Name, p => Value(p.Value.GetProperty("value")));
        _copy.Remove("");
        return For(module.GetProperty("properties").GetProperty("template"), given);
    }

    /// <summary>Evaluates something of a resource once per iteration of its copy loop (once when it has none).</summary>
    public List<T> Each<T>(JsonElement resource, Func<ArmEvaluator, T> read)
    {
        if (!resource.TryGetProperty("copy", out var loop))
        {
            return [read(this)];
        }

        long count = (long)Value(loop.GetProperty("count"))!;
        var name = loop.GetProperty("name").GetString()!;
        var results = new List<T>();
        for (long i = 0; i < count; i++)
        {
            _copy[""] = i;
            _copy[name] = i;
            results.Add(read(this));
        }

        _copy.Remove("");
        _copy.Remove(name);
        return results;
    }

    public object? Parameter(string name) =>
        _parameters.TryGetValue(name, out var value) ? value : throw new KeyNotFoundException($"No parameter {name}.");

    public object? Variable(string name)
    {
        if (_variables.TryGetValue(name, out var known))
        {
            return known;
        }

        var variables = _template.GetProperty("variables");
        object? value;
        if (variables.TryGetProperty(name, out var declared))
        {
            value = Value(declared);
        }
        else
        {
            var loop = variables.GetProperty("copy").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
            long count = (long)Value(loop.GetProperty("count"))!;
            var items = new List<object?>();
            for (long i = 0; i < count; i++)
            {
                _copy[name] = i;
                items.Add(Value(loop.GetProperty("input")));
            }

            _copy.Remove(name);
            value = items;
        }

        _variables[name] = value;
        return value;
    }

    /// <summary>Evaluates a JSON value of the template: strings in [brackets] are expressions.</summary>
    public object? Value(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => Text(element.GetString()!),
        JsonValueKind.Number => element.GetInt64(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.Array => element.EnumerateArray().Select(Value).ToList(),
        _ => element.EnumerateObject().ToDictionary(p => p.Name, p => Value(p.Value), StringComparer.OrdinalIgnoreCase),
    };

    private object? Text(string text) =>
        text.Length >= 2 && text[0] == '[' && text[^1] == ']' && !text.StartsWith("[[", StringComparison.Ordinal)
            ? Evaluate(ArmExpression.Parse(text[1..^1]))
            : text;

    private object? Evaluate(ArmExpression expression) => expression switch
    {
        ArmExpression.Literal literal => literal.Value,
        ArmExpression.Member member => Property(Evaluate(member.Target), member.Name),
        ArmExpression.Index index => Element(Evaluate(index.Target), Evaluate(index.Key)),
        ArmExpression.Call call => Invoke(call),
        _ => throw new NotSupportedException(expression.ToString()),
    };

    private static object? Property(object? target, string name) => target switch
    {
        Dictionary<string, object?> map => map.TryGetValue(name, out var value) ? value : throw new KeyNotFoundException($"No property {name}."),
        ArmSymbol symbol => symbol.Member(name),
        _ => throw new InvalidOperationException($"Cannot read .{name} of {target}."),
    };

    private static object? Element(object? target, object? key) => (target, key) switch
    {
        (List<object?> list, long i) => list[(int)i],
        (Dictionary<string, object?> map, string name) => map[name],
        (ArmSymbol symbol, _) => symbol.Member($"[{key}]"),
        _ => throw new InvalidOperationException($"Cannot index {target} with {key}."),
    };

    private object? Invoke(ArmExpression.Call call)
    {
        if (call.Name.StartsWith(ArmExpression.UserFunctionNamespace + ".", StringComparison.Ordinal))
        {
            return UserFunction(call.Name[(ArmExpression.UserFunctionNamespace.Length + 1)..], call.Arguments.Select(Evaluate).ToList());
        }

        switch (call.Name.ToLowerInvariant())
        {
            case "lambda":
                return new Lambda(call.Arguments.SkipLast(1).Select(a => (string)Evaluate(a)!).ToList(), call.Arguments[^1]);
            case "if":
                return Truthy(Evaluate(call.Arguments[0])) ? Evaluate(call.Arguments[1]) : Evaluate(call.Arguments[2]);
        }

        var args = call.Arguments.Select(Evaluate).ToList();
        switch (call.Name.ToLowerInvariant())
        {
            case "parameters": return Parameter((string)args[0]!);
            case "variables": return Variable((string)args[0]!);
            case "lambdavariables": return _lambda[(string)args[0]!];
            case "copyindex": return _copy[args.Count > 0 && args[0] is string loop ? loop : ""] + (args.Count > 0 && args[^1] is long offset ? offset : 0);
            case "createarray": return args;
            case "createobject": return Enumerable.Range(0, args.Count / 2).ToDictionary(i => (string)args[2 * i]!, i => args[(2 * i) + 1], StringComparer.OrdinalIgnoreCase);
            case "format": return Format((string)args[0]!, args.Skip(1).ToList());
            case "concat": return args.All(a => a is List<object?>) ? args.SelectMany(a => (List<object?>)a!).ToList() : string.Concat(args.Select(ToText));
            case "flatten": return ((List<object?>)args[0]!).SelectMany(a => (List<object?>)a!).ToList();
            case "map": return ((List<object?>)args[0]!).Select((item, i) => Apply((Lambda)args[1]!, item, (long)i)).ToList();
            case "filter": return ((List<object?>)args[0]!).Where(item => Truthy(Apply((Lambda)args[1]!, item, 0))).ToList();
            case "toobject":
                return ((List<object?>)args[0]!).ToDictionary(
                    item => (string)Apply((Lambda)args[1]!, item, 0)!,
                    item => args.Count > 2 ? Apply((Lambda)args[2]!, item, 0) : item,
                    StringComparer.OrdinalIgnoreCase);
            case "union": return Union(args);
            case "items":
                return ((Dictionary<string, object?>)args[0]!).OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase)
                    .Select(p => (object?)new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase) { ["key"] = p.Key, ["value"] = p.Value }).ToList();
            case "string": return ToText(args[0]);
            case "empty": return args[0] switch { null => true, string text => text.Length == 0, List<object?> l => l.Count == 0, Dictionary<string, object?> d => d.Count == 0, _ => false };
            case "length": return args[0] switch { string text => (long)text.Length, List<object?> l => (long)l.Count, Dictionary<string, object?> d => (long)d.Count, _ => throw new InvalidOperationException($"length of {args[0]}") };
            case "range": return Enumerable.Range((int)(long)args[0]!, (int)(long)args[1]!).Select(i => (object?)(long)i).ToList();
            case "join": return string.Join((string)args[1]!, ((List<object?>)args[0]!).Select(ToText));
            case "startswith": return args[0] is string a && args[1] is string b && a.StartsWith(b, StringComparison.OrdinalIgnoreCase);
            case "endswith": return args[0] is string a2 && args[1] is string b2 && a2.EndsWith(b2, StringComparison.OrdinalIgnoreCase);
            case "equals": return Equals(args[0], args[1]);
            case "not": return !Truthy(args[0]);
            case "and": return args.All(Truthy);
            case "or": return args.Any(Truthy);
            case "tolower": return args[0] is string l2 ? l2.ToLowerInvariant() : new ArmSymbol($"toLower({args[0]})");
            case "true": return true;
            case "false": return false;
            case "null": return null;
            default:
                // Known only when deploying: reference(), resourceId(), subscription(), uniqueString(), guid(), ...
                return new ArmSymbol($"{call.Name}({string.Join(", ", args.Select(ToText))})");
        }
    }

    private object? UserFunction(string name, List<object?> args)
    {
        var function = _template.GetProperty("functions").EnumerateArray()
            .Where(n => n.GetProperty("namespace").GetString() == ArmExpression.UserFunctionNamespace)
            .Select(n => n.GetProperty("members").GetProperty(name)).Single();
        var names = function.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()!).ToList();
        var scope = new ArmEvaluator(_template, names.Select((n, i) => (n, args[i])).ToDictionary(p => p.n, p => p.Item2, StringComparer.OrdinalIgnoreCase));
        return scope.Value(function.GetProperty("output").GetProperty("value"));
    }

    private object? Apply(Lambda lambda, object? item, long index)
    {
        var saved = new Dictionary<string, object?>(_lambda);
        _lambda[lambda.Names[0]] = item;
        if (lambda.Names.Count > 1)
        {
            _lambda[lambda.Names[1]] = index;
        }

        try
        {
            return Evaluate(lambda.Body);
        }
        finally
        {
            _lambda.Clear();
            foreach (var (key, value) in saved)
            {
                _lambda[key] = value;
            }
        }
    }

    private static object? Union(List<object?> args)
    {
        if (args.All(a => a is List<object?>))
        {
            return args.SelectMany(a => (List<object?>)a!).Distinct().ToList();
        }

        var merged = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (var map in args.Cast<Dictionary<string, object?>>())
        {
            foreach (var (key, value) in map)
            {
                merged[key] = value;
            }
        }

        return merged;
    }

    private static string Format(string format, List<object?> args)
    {
        var result = format;
        for (int i = 0; i < args.Count; i++)
        {
            result = result.Replace("{" + i.ToString(CultureInfo.InvariantCulture) + "}", ToText(args[i]), StringComparison.Ordinal);
        }

        return result;
    }

    private static bool Truthy(object? value) => value switch
    {
        bool b => b,
        ArmSymbol symbol => throw new InvalidOperationException($"{symbol} is known only when deploying."),
        _ => value is not null,
    };

    public static string ToText(object? value) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "True" : "False",
        long l => l.ToString(CultureInfo.InvariantCulture),
        ArmSymbol symbol => symbol.ToString(),
        _ => JsonSerializer.Serialize(value),
    };

    private sealed record Lambda(IReadOnlyList<string> Names, ArmExpression Body);
}
