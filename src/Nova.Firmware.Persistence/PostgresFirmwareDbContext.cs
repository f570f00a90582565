using Microsoft.EntityFrameworkCore;

namespace Nova.Firmware.Persistence;

/// <summary>PostgreSQL, for large fleets and several server replicas sharing one database.</summary>
public sealed class PostgresFirmwareDbContext(DbContextOptions<PostgresFirmwareDbContext> options) : FirmwareDbContext(options);
