using System.Text.Json.Serialization;

namespace Nova.Firmware.Protocols.Ddi;

// Wire records of Eclipse hawkBit's Direct Device Integration API (controller side), as real
// SWUpdate and RAUC clients send and expect them. Field names are hawkBit's; keep them exact.

/// <summary>Answer to a poll: how long to sleep, and links to what the device should do next.</summary>
public sealed record DdiControllerBase(
    [property: JsonPropertyName("config")] DdiConfig Config,
    [property: JsonPropertyName("_links")] DdiControllerLinks Links);

public sealed record DdiConfig([property: JsonPropertyName("polling")] DdiPolling Polling);

/// <summary><c>sleep</c> is "HH:MM:SS"; SWUpdate refuses a poll answer without it.</summary>
public sealed record DdiPolling([property: JsonPropertyName("sleep")] string Sleep);

public sealed record DdiControllerLinks(
    [property: JsonPropertyName("deploymentBase"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DdiLink? DeploymentBase = null,
    [property: JsonPropertyName("configData"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DdiLink? ConfigData = null,
    [property: JsonPropertyName("cancelAction"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DdiLink? CancelAction = null);

public sealed record DdiLink([property: JsonPropertyName("href")] string Href);

/// <summary>An update action: what to download and install.</summary>
public sealed record DdiDeploymentBase(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("deployment")] DdiDeployment Deployment);

/// <summary><c>download</c>/<c>update</c> are "forced", "attempt" or "skip" (never send "skip" to SWUpdate).</summary>
public sealed record DdiDeployment(
    [property: JsonPropertyName("download")] string Download,
    [property: JsonPropertyName("update")] string Update,
    [property: JsonPropertyName("chunks")] IReadOnlyList<DdiChunk> Chunks,
    [property: JsonPropertyName("maintenanceWindow"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? MaintenanceWindow = null);

/// <summary><c>part</c>, <c>version</c> and <c>name</c> are required by SWUpdate.</summary>
public sealed record DdiChunk(
    [property: JsonPropertyName("part")] string Part,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("artifacts")] IReadOnlyList<DdiArtifact> Artifacts);

public sealed record DdiArtifact(
    [property: JsonPropertyName("filename")] string Filename,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("hashes")] DdiArtifactHashes Hashes,
    [property: JsonPropertyName("_links")] DdiArtifactLinks Links);

/// <summary>SWUpdate requires and checks <c>sha1</c>; we also send md5 and sha256.</summary>
public sealed record DdiArtifactHashes(
    [property: JsonPropertyName("sha1")] string Sha1,
    [property: JsonPropertyName("md5")] string Md5,
    [property: JsonPropertyName("sha256")] string Sha256);

public sealed record DdiArtifactLinks(
    [property: JsonPropertyName("download")] DdiLink Download,
    [property: JsonPropertyName("download-http")] DdiLink DownloadHttp);

/// <summary>A device's report on an action. <c>id</c> at the top level is legacy but still sent by SWUpdate.</summary>
public sealed record DdiActionFeedback(
    [property: JsonPropertyName("id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] object? Id,
    [property: JsonPropertyName("time"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Time,
    [property: JsonPropertyName("status")] DdiStatus Status);

public sealed record DdiStatus(
    [property: JsonPropertyName("execution")] string Execution,
    [property: JsonPropertyName("result")] DdiResult Result,
    [property: JsonPropertyName("details"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Details = null,
    [property: JsonPropertyName("code"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Code = null);

public sealed record DdiResult(
    [property: JsonPropertyName("finished")] string Finished,
    [property: JsonPropertyName("progress"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DdiProgress? Progress = null);

public sealed record DdiProgress(
    [property: JsonPropertyName("cnt")] int Cnt,
    [property: JsonPropertyName("of")] int Of);

/// <summary>Device attributes (identity and telemetry); <c>mode</c> is merge, replace or remove.</summary>
public sealed record DdiConfigData(
    [property: JsonPropertyName("data")] IReadOnlyDictionary<string, string> Data,
    [property: JsonPropertyName("mode"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Mode = "merge");

public sealed record DdiCancel(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("cancelAction")] DdiCancelActionStop CancelAction);

public sealed record DdiCancelActionStop([property: JsonPropertyName("stopId")] string StopId);
