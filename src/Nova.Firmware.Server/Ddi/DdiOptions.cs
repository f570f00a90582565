namespace Nova.Firmware.Server.Ddi;

/// <summary>The "Nova:Ddi" section: the hawkBit-compatible device API.</summary>
public sealed class DdiOptions
{
    public const string Section = "Nova:Ddi";

    /// <summary>The hawkBit tenant in device paths (/{tenant}/controller/v1/...); another tenant is a 404. hawkBit's default.</summary>
    public string Tenant { get; set; } = "DEFAULT";
    /// <summary>Poll interval told to idle devices.</summary>
    public TimeSpan PollSleep { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>Poll interval told to devices with an open action or under verification.</summary>
    public TimeSpan ActivePollSleep { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>A shared token for gateways that poll on behalf of devices; unset disables GatewayToken auth.</summary>
    public string? GatewayToken { get; set; }
    /// <summary>Whether a device unknown to the inventory, authenticated by the gateway token, is registered on first poll.</summary>
    public bool AutoRegister { get; set; }
    /// <summary>The base URL devices use to reach this server (behind a proxy); default: the request's own.</summary>
    public string? PublicBaseUrl { get; set; }
    /// <summary>How often batched last-seen times are written to the database.</summary>
    public TimeSpan LastSeenFlushInterval { get; set; } = TimeSpan.FromSeconds(2);
    /// <summary>
    /// How long a target token's device (and, for gateway-token polls, a controllerId's device) is
    /// cached. Longer than the poll interval, or an idle fleet would miss the cache on every poll.
    /// Replacing a token evicts the old one at once on the replica that replaced it; other replicas
    /// may accept the old token until this time has passed. Zero: no cache.
    /// </summary>
    public TimeSpan TokenCacheTime { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>How long a device's open action is cached between polls (bounds how stale a replica's answer may be).</summary>
    public TimeSpan ActionCacheTime { get; set; } = TimeSpan.FromSeconds(1);
}
