using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Nova.Firmware.Domain.Common;

namespace Nova.Firmware.Persistence.Configurations;

/// <summary>Stores an enum as its fixed wire name ("sd-recovery"), never as a number.</summary>
public sealed class EnumWireConverter<T>() : ValueConverter<T, string>(v => v.ToWire(), s => WireNames.Parse<T>(s))
    where T : struct, Enum;
