using System.ComponentModel.DataAnnotations;

namespace Nova.Firmware.Server.Rma;

/// <summary>Settings of the RMA evidence bundle (<c>Nova:Rma</c>).</summary>
public sealed class RmaOptions
{
    public const string Section = "Nova:Rma";

    /// <summary>How long the device is given to hand over its system log; past it the bundle says so and is made anyway.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00", ErrorMessage = "Nova:Rma:SystemLogTimeout must be between 100 ms and 5 minutes.")]
    public TimeSpan SystemLogTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
