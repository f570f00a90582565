using System.Text.Json;
using System.Text.Json.Serialization;
using Nova.Firmware.Domain.Common;

namespace Nova.Firmware.Server.Hardening;

/// <summary>
/// Every JSON string the server reads (management API and DDI alike) is refused when it could not be
/// stored: a NUL character or a lone surrogate. One converter guards every field, including fields
/// added later, so such text never reaches PostgreSQL (which would answer with an error, a 500) or
/// SQLite (which would keep it and differ from PostgreSQL). Per-field rules (lengths, control
/// characters) stay with each field's validation.
/// </summary>
public sealed class StorableStringJsonConverter : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new UnstorableTextException("Expected a string.");
        }
        return Checked(reader.GetString()!);
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Checked(reader.GetString()!);

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WritePropertyName(value);

    private static string Checked(string value) =>
        TextRules.IsStorable(value) ? value : throw new UnstorableTextException("Must not contain NUL characters or broken Unicode (a lone surrogate).");
}

/// <summary>A JSON value refused by the server's own rules; its message is safe to show (it never quotes the value).</summary>
public sealed class UnstorableTextException(string message) : JsonException(message);
