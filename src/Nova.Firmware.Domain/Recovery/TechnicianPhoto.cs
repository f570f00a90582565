namespace Nova.Firmware.Domain.Recovery;

/// <summary>A photo the technician took (revision sticker, status LEDs), kept for the RMA bundle.</summary>
public sealed class TechnicianPhoto
{
    public long Id { get; set; }
    public long TaskId { get; set; }
    public Guid DeviceId { get; set; }
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public string? Caption { get; set; }
    public required byte[] Content { get; set; }
    public required string Sha256 { get; set; }
    public DateTimeOffset UploadedAt { get; set; }
    public required string UploadedBy { get; set; }
}
