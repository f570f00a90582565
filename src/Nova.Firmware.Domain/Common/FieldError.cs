namespace Nova.Firmware.Domain.Common;

/// <summary>One rule broken by one field; <see cref="Field"/> is the field's wire path ("powerFeed.port").</summary>
public sealed record FieldError(string Field, string Message);
