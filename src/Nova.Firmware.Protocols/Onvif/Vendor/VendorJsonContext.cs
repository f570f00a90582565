using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nova.Firmware.Protocols.Onvif.Vendor;

/// <summary>
/// Source-generated JSON for the vendor extension (camelCase). Required members and nullable
/// annotations are enforced, so an answer missing a field is malformed rather than half-filled.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(VendorDeviceStatus))]
[JsonSerializable(typeof(VendorStorageStatus))]
[JsonSerializable(typeof(VendorCleanupResult))]
[JsonSerializable(typeof(VendorProblem))]
internal sealed partial class VendorJsonContext : JsonSerializerContext;

/// <summary>The parts of an RFC 7807 problem document worth showing.</summary>
internal sealed record VendorProblem(string? Title, string? Detail);
