using Nova.Firmware.Domain.Common;

namespace Nova.Firmware.Domain.Devices;

public enum HealthStatus
{
    [WireName("unknown")] Unknown = 0,
    [WireName("healthy")] Healthy = 1,
    [WireName("degraded")] Degraded = 2,
    [WireName("offline")] Offline = 3,
}
