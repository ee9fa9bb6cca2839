using System.Buffers;
using System.Text;
using System.Text.Json;
using DeepSeek.Pipeline.Privacy;

namespace DeepSeek.Pipeline.Jobs;

/// <summary>
/// Redacts a job body before it is stored: every JSON string of every line (property names and values, at any depth,
/// whatever their casing) goes through the <see cref="Redactor"/>; numbers are copied as written, so inputs are
/// untouched. A line that is not valid JSON is redacted as plain text (it fails on its own later either way).
/// </summary>
internal static class JobInputRedactor
{
    public static byte[] Redact(byte[] body, Redactor redactor)
    {
        var lines = JobInput.Lines(body);
        using var output = new MemoryStream(body.Length);
        int copied = 0;
        bool changed = false;
        foreach (var range in lines)
        {
            var (offset, length) = range.GetOffsetAndLength(body.Length);
            var line = body.AsSpan(offset, length);
            if (line.IndexOf((byte)'"') < 0 && line.IndexOf((byte)'@') < 0)
            {
                continue;
            }

            var redacted = RedactLine(line, redactor);
            if (redacted is null)
            {
                continue;
            }

            output.Write(body, copied, offset - copied);
            output.Write(redacted);
            copied = offset + length;
            changed = true;
        }

        if (!changed)
        {
            return body;
        }

        output.Write(body, copied, body.Length - copied);
        return output.ToArray();
    }

    private static byte[]? RedactLine(ReadOnlySpan<byte> line, Redactor redactor)
    {
        try
        {
            return RedactJson(line, redactor);
        }
        catch (JsonException)
        {
            var text = Encoding.UTF8.GetString(line);
            var redacted = redactor.Redact(text);
            return ReferenceEquals(text, redacted) ? null : Encoding.UTF8.GetBytes(redacted);
        }
    }

    private static byte[]? RedactJson(ReadOnlySpan<byte> line, Redactor redactor)
    {
        var buffer = new ArrayBufferWriter<byte>(line.Length + 64);
        bool changed = false;
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }))
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject: writer.WriteStartObject(); break;
                    case JsonTokenType.EndObject: writer.WriteEndObject(); break;
                    case JsonTokenType.StartArray: writer.WriteStartArray(); break;
                    case JsonTokenType.EndArray: writer.WriteEndArray(); break;
                    case JsonTokenType.PropertyName: writer.WritePropertyName(Redacted(ref reader, redactor, ref changed)); break;
                    case JsonTokenType.String: writer.WriteStringValue(Redacted(ref reader, redactor, ref changed)); break;
                    case JsonTokenType.Number: writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true); break;
                    case JsonTokenType.True: writer.WriteBooleanValue(true); break;
                    case JsonTokenType.False: writer.WriteBooleanValue(false); break;
                    case JsonTokenType.Null: writer.WriteNullValue(); break;
                    default: break;
                }
            }
        }

        return changed ? buffer.WrittenSpan.ToArray() : null;
    }

    private static string Redacted(ref Utf8JsonReader reader, Redactor redactor, ref bool changed)
    {
        var text = reader.GetString()!;
        var redacted = redactor.Redact(text);
        changed |= !ReferenceEquals(text, redacted);
        return redacted;
    }
}
