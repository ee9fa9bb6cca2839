using System.Globalization;
using System.Text;

namespace DeepSeek.Deployment.Tests.Arm;

/// <summary>
/// A parsed ARM template expression (the text between <c>[</c> and <c>]</c>): string and number literals,
/// function calls, property access and indexing. Enough of the language for what bicep compiles main.bicep to.
/// </summary>
internal abstract record ArmExpression
{
    /// <summary>The namespace bicep compiles user-defined functions into.</summary>
    public const string UserFunctionNamespace = "__bicep";

    public static ArmExpression Parse(string text)
    {
        var parser = new Parser(text);
        var expression = parser.Expression();
        parser.End();
        return expression;
    }

    public sealed record Literal(object? Value) : ArmExpression;

    public sealed record Call(string Name, IReadOnlyList<ArmExpression> Arguments) : ArmExpression;

    public sealed record Member(ArmExpression Target, string Name) : ArmExpression;

    public sealed record Index(ArmExpression Target, ArmExpression Key) : ArmExpression;

    private sealed class Parser(string text)
    {
        private int _at;

        public ArmExpression Expression()
        {
            var expression = Primary();
            while (true)
            {
                Skip();
                if (Peek('.'))
                {
                    _at++;
                    expression = new Member(expression, Identifier());
                }
                else if (Peek('['))
                {
                    _at++;
                    var key = Expression();
                    Expect(']');
                    expression = new Index(expression, key);
                }
                else
                {
                    return expression;
                }
            }
        }

        public void End()
        {
            Skip();
            if (_at != text.Length)
            {
                throw new FormatException($"Unexpected '{text[_at..]}' in [{text}].");
            }
        }

        private ArmExpression Primary()
        {
            Skip();
            if (Peek('\''))
            {
                return new Literal(StringLiteral());
            }

            if (_at < text.Length && (char.IsDigit(text[_at]) || text[_at] == '-'))
            {
                int start = _at++;
                while (_at < text.Length && char.IsDigit(text[_at]))
                {
                    _at++;
                }

                return new Literal(long.Parse(text[start.._at], CultureInfo.InvariantCulture));
            }

            var name = Identifier();
            Skip();
            Expect('(');
            var arguments = new List<ArmExpression>();
            Skip();
            if (!Peek(')'))
            {
                do
                {
                    arguments.Add(Expression());
                    Skip();
                }
                while (TryTake(','));
            }

            Expect(')');
            return new Call(name, arguments);
        }

        private string StringLiteral()
        {
            Expect('\'');
            var value = new StringBuilder();
            while (true)
            {
                if (_at >= text.Length)
                {
                    throw new FormatException($"Unterminated string in [{text}].");
                }

                char c = text[_at++];
                if (c == '\'')
                {
                    if (Peek('\''))
                    {
                        _at++;
                        value.Append('\'');
                        continue;
                    }

                    return value.ToString();
                }

                value.Append(c);
            }
        }

        private string Identifier()
        {
            Skip();
            int start = _at;
            // A dot belongs to a name only after the namespace of bicep's user-defined functions (__bicep.poison).
            while (_at < text.Length && (char.IsLetterOrDigit(text[_at]) || text[_at] == '_'
                || (text[_at] == '.' && text.AsSpan(start, _at - start).SequenceEqual(UserFunctionNamespace))))
            {
                _at++;
            }

            if (start == _at)
            {
                throw new FormatException($"Expected a name at {_at} in [{text}].");
            }

            return text[start.._at];
        }

        private void Skip()
        {
            while (_at < text.Length && char.IsWhiteSpace(text[_at]))
            {
                _at++;
            }
        }

        private bool Peek(char c) => _at < text.Length && text[_at] == c;

        private bool TryTake(char c)
        {
            Skip();
            if (!Peek(c))
            {
                return false;
            }

            _at++;
            return true;
        }

        private void Expect(char c)
        {
            Skip();
            if (!Peek(c))
            {
                throw new FormatException($"Expected '{c}' at {_at} in [{text}].");
            }

            _at++;
        }
    }
}
