using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace DeepSeek.Pipeline.Stages;

/// <summary>Reads queue messages, turning malformed ones into one exception type.</summary>
internal static class MessageJson
{
    public static T Read<T>(string message, JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(message, type)
                ?? throw new InvalidDataException($"The {typeof(T).Name} is null.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The message is not a valid {typeof(T).Name}: {ex.Message}", ex);
        }
    }

    public static BinaryData Write<T>(T value, JsonTypeInfo<T> type) =>
        BinaryData.FromBytes(JsonSerializer.SerializeToUtf8Bytes(value, type));
}
