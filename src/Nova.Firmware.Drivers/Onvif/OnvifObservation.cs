using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nova.Firmware.Drivers.Onvif;

/// <summary>What happened in a camera push, as kept in a timeline entry's data; the driver reads its own entries back.</summary>
public enum OnvifStep
{
    /// <summary>StartFirmwareUpgrade answered: the upload URI, the delay, the announced down time.</summary>
    UpgradeStarted = 0,
    /// <summary>The camera took the image (HTTP 2xx): it reprograms and reboots.</summary>
    UploadAccepted = 1,
    /// <summary>The camera refused the image or failed (HTTP 415, 500, a SOAP fault): its words are the details.</summary>
    UploadRefused = 2,
    /// <summary>
    /// The upload broke off (connection lost, the server stopping), or a later look found a push
    /// without outcome (its server died mid-push): what the camera got is not known yet.
    /// </summary>
    UploadCutOff = 3,
    /// <summary>The camera stopped answering after taking the image: rebooting.</summary>
    WentDown = 4,
    /// <summary>The camera answers again after the upgrade, with the version it runs.</summary>
    CameBack = 5,
    /// <summary>After a cut-off push, the camera sits idle on its old firmware: the image never reached it.</summary>
    UploadLost = 6,
}

/// <summary>One camera push event for one transfer attempt.</summary>
public sealed record OnvifObservation(
    [property: JsonPropertyName("onvif")] OnvifStep Step,
    [property: JsonPropertyName("attempt")] int Attempt,
    [property: JsonPropertyName("details")] IReadOnlyList<string> Details)
{
    [JsonPropertyName("expectedDownSeconds")] public double? ExpectedDownSeconds { get; init; }
    [JsonPropertyName("uploadDelaySeconds")] public double? UploadDelaySeconds { get; init; }
    [JsonPropertyName("httpStatus")] public int? HttpStatus { get; init; }
    [JsonPropertyName("version")] public string? Version { get; init; }

    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) } };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The entry's data as an ONVIF push event, or null when it is something else (a telemetry dump, a DDI post).</summary>
    public static OnvifObservation? TryParse(string? data)
    {
        if (data is null || !data.Contains("\"onvif\"", StringComparison.Ordinal))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<OnvifObservation>(data, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
