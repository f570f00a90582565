using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nova.Firmware.Server.Tftp;

/// <summary>
/// The data of a TFTP timeline entry (its <c>data</c> JSON): what was asked, what was served, how
/// the device was recognised, and the outcome of the event it records.
/// </summary>
public sealed record TftpTransferRecord(
    string Event,
    long TransferId,
    string Remote,
    string FileName,
    string? FoundBy,
    Guid? PackageId,
    string? PackageVersion,
    string? PackageFileName)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public int? BlockSize { get; init; }
    public int? WindowSize { get; init; }
    public long? TransferSize { get; init; }
    public long? Bytes { get; init; }
    public double? DurationMs { get; init; }
    public string? Failure { get; init; }
    public string? Reason { get; init; }
    public long? BlocksAcknowledged { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}
