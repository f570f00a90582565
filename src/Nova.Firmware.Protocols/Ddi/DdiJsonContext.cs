using System.Text.Json.Serialization;

namespace Nova.Firmware.Protocols.Ddi;

/// <summary>
/// Source-generated serializers for the DDI answers on the hot path (the poll): no reflection
/// metadata to consult per reply. Property names and null handling come from the records' attributes.
/// </summary>
[JsonSerializable(typeof(DdiControllerBase))]
public sealed partial class DdiJsonContext : JsonSerializerContext;
