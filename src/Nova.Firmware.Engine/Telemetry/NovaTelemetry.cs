using System.Diagnostics;

namespace Nova.Firmware.Engine.Telemetry;

/// <summary>
/// The names under which the product publishes its metrics and traces, and the attribute keys it
/// uses. The host's OpenTelemetry set-up subscribes to exactly these names (docs/operations.md).
/// Attribute keys follow OpenTelemetry's conventions: <c>error.type</c> for why something failed,
/// and the product's own keys under <c>nova.</c>.
/// </summary>
public static class NovaTelemetry
{
    /// <summary>The meter every product instrument belongs to, and the activity source of its spans.</summary>
    public const string Name = "Nova.Firmware";

    /// <summary>
    /// Spans of the engine's steps. A static source like the framework's own: starting an activity
    /// with nobody listening (traces off, the default) costs one check and returns null.
    /// </summary>
    public static readonly ActivitySource Source = new(Name);

    public static class Attributes
    {
        public const string ErrorType = "error.type";
        public const string JobId = "nova.job.id";
        public const string DeviceId = "nova.device.id";
        public const string RecoveryRunId = "nova.recovery.run.id";
        public const string JobStatus = "nova.job.status";
        public const string JobStep = "nova.job.step";
        /// <summary>On a step's span: the status the step moved the job to.</summary>
        public const string JobStatusTo = "nova.job.status.to";
        public const string PreflightCheck = "nova.preflight.check";
        public const string PreflightOutcome = "nova.preflight.outcome";
        public const string RecoveryRung = "nova.recovery.rung";
        public const string LeaseKind = "nova.lease.kind";
        public const string RolloutStatus = "nova.rollout.status";
    }
}
