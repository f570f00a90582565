namespace Nova.Firmware.Protocols.Ddi;

/// <summary>The string values hawkBit's DDI uses, in one place.</summary>
public static class DdiValues
{
    public const string DefaultTenant = "DEFAULT";

    public static class Execution
    {
        public const string Closed = "closed";
        public const string Proceeding = "proceeding";
        public const string Canceled = "canceled";
        public const string Scheduled = "scheduled";
        public const string Rejected = "rejected";
        public const string Resumed = "resumed";
        public const string Downloaded = "downloaded";
        public const string Download = "download";
    }

    public static class Finished
    {
        public const string Success = "success";
        public const string Failure = "failure";
        public const string None = "none";
    }

    public static class Handling
    {
        public const string Forced = "forced";
        public const string Attempt = "attempt";
        public const string Skip = "skip";
    }

    /// <summary>configData keys for Nova's telemetry beyond hawkBit's free-form attributes.</summary>
    public static class Attributes
    {
        public const string HwRevision = "hwRevision";
        public const string Model = "model";
        public const string SerialNo = "serialNo";
        public const string Vendor = "vendor";
        public const string Soc = "soc";
        public const string FirmwareVersion = "firmwareVersion";
        public const string InactiveFirmwareVersion = "inactiveFirmwareVersion";
        public const string FreeBytes = "freeBytes";
        public const string TotalBytes = "totalBytes";
        public const string PowerFeed = "powerFeed";
        public const string ResetReason = "resetReason";
        public const string BootMode = "bootMode";
        public const string Led = "led";
        public const string Kind = "kind";
        /// <summary>How many boots the last good boot took (U-Boot's bootcount when it was marked good).</summary>
        public const string BootCount = "bootcount";
    }

    public static string FormatSleep(TimeSpan sleep) => $"{(int)sleep.TotalHours:00}:{sleep.Minutes:00}:{sleep.Seconds:00}";
}
