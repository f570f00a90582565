using Microsoft.Extensions.Options;
using Nova.Firmware.Protocols.Onvif;

namespace Nova.Firmware.Server.Endpoints.Management.Discovery;

/// <summary>One camera to identify: its device service addresses, and what to sign in with (or why nothing).</summary>
public sealed record IdentifyRequest(IReadOnlyList<Uri> XAddrs, SiteCredentialLookup Credentials);

/// <summary>
/// Asks cameras GetDeviceInformation, several at once (bounded), each with a short limit. A camera
/// that fails says why in its own result; it never fails the others or the call.
/// </summary>
public sealed class CameraIdentifier(TimeProvider time, IOptions<OnvifDiscoveryOptions> options, ILoggerFactory loggers)
{
    private readonly ILogger _log = loggers.CreateLogger<CameraIdentifier>();

    /// <summary>Results in the order of <paramref name="cameras"/>.</summary>
    public async Task<CameraIdentity[]> IdentifyAsync(IReadOnlyList<IdentifyRequest> cameras, CancellationToken cancellationToken)
    {
        var results = new CameraIdentity[cameras.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Value.IdentifyParallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, cameras.Count), parallel,
            async (i, ct) => results[i] = await IdentifyOneAsync(cameras[i], ct));
        return results;
    }

    private async Task<CameraIdentity> IdentifyOneAsync(IdentifyRequest camera, CancellationToken cancellationToken)
    {
        if (camera.Credentials.Credentials is not { } credentials)
        {
            return CameraIdentity.Failed(camera.Credentials.Missing ?? "no credentials");
        }
        if (camera.XAddrs.Count == 0)
        {
            return CameraIdentity.Failed("the camera gave no http(s) device service address");
        }

        // Cameras list one address per interface or family; the first that answers is the camera.
        var errors = new List<string>();
        foreach (var xaddr in camera.XAddrs)
        {
            if (!IpLiteral.IsCallableUrl(xaddr))
            {
                errors.Add($"{xaddr}: not called, its host is not an IP address (names are not resolved)");
                continue;
            }
            try
            {
                return new CameraIdentity(xaddr, await AskAsync(xaddr, credentials, cancellationToken), null);
            }
            catch (OnvifException e)
            {
                DiscoveryLog.IdentifyFailed(_log, xaddr, e.Kind, e.Message);
                errors.Add(e.Message);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                DiscoveryLog.IdentifyFailed(_log, xaddr, OnvifErrorKind.Unreachable, "timed out");
                errors.Add($"{xaddr}: no answer within {options.Value.IdentifyTimeout.TotalSeconds:0.#} s");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Whatever one camera's answer did to us, the operator still gets the others.
                DiscoveryLog.IdentifyCrashed(_log, xaddr, e);
                errors.Add($"{xaddr}: unexpected error ({e.GetType().Name}): {e.Message}");
            }
        }
        return CameraIdentity.Failed(string.Join("; ", errors));
    }

    private async Task<OnvifDeviceInformation> AskAsync(Uri xaddr, OnvifCredentials credentials, CancellationToken cancellationToken)
    {
        var limit = options.Value.IdentifyTimeout;
        // No retries: an identification is cheap to ask again, and waiting out retries for one
        // silent camera would hold the whole answer.
        var clientOptions = new OnvifClientOptions { RequestTimeout = limit, ReadRetries = 0 };
        using var client = OnvifClient.Create(xaddr, credentials, time, clientOptions, loggers.CreateLogger<OnvifClient>());
        // The request limit covers one SOAP call; UsernameToken cameras need a clock read first, so
        // the whole identification gets the same limit on top.
        using var window = new CancellationTokenSource(limit, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, window.Token);
        return await client.GetDeviceInformationAsync(linked.Token);
    }
}
