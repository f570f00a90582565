using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Nova.Firmware.Protocols.Onvif.Auth;

namespace Nova.Firmware.Protocols.Onvif.Transport;

/// <summary>
/// HTTP to one camera, shared by the ONVIF and vendor clients: HTTP Digest (answered from a cached
/// challenge up front, re-challenged on 401 or stale=true), a time limit per call from the
/// <see cref="TimeProvider"/>, capped reads, and network failures turned into
/// <see cref="OnvifUnreachableException"/>.
/// </summary>
/// <remarks>
/// Digest is done here rather than by the handler's <c>Credentials</c>: those belong to the handler
/// (one password for every camera sharing it), answer every challenge with nc=00000001 and never
/// authenticate Digest up front, so every request would pay a 401 round trip and an upload would
/// first be sent into a challenge.
/// </remarks>
internal sealed class CameraHttp(HttpClient http, OnvifCredentials credentials, DigestSessionCache digest, TimeProvider time, ILogger logger)
{
    /// <summary>A fresh challenge, a stale one, one more: a camera that keeps challenging after that refuses us.</summary>
    private const int MaxRounds = 3;

    /// <summary>Socket errors that tell diagnosis something; every other one is Other.</summary>
    private static readonly Dictionary<SocketError, OnvifUnreachableReason> SocketReasons = new()
    {
        [SocketError.ConnectionRefused] = OnvifUnreachableReason.ConnectionRefused,
        [SocketError.ConnectionReset] = OnvifUnreachableReason.ConnectionReset,
        [SocketError.ConnectionAborted] = OnvifUnreachableReason.ConnectionReset,
        [SocketError.Shutdown] = OnvifUnreachableReason.ConnectionReset,
        [SocketError.TimedOut] = OnvifUnreachableReason.Timeout,
        [SocketError.HostNotFound] = OnvifUnreachableReason.NameNotResolved,
        [SocketError.NoData] = OnvifUnreachableReason.NameNotResolved,
        [SocketError.TryAgain] = OnvifUnreachableReason.NameNotResolved,
        [SocketError.HostUnreachable] = OnvifUnreachableReason.NetworkUnreachable,
        [SocketError.NetworkUnreachable] = OnvifUnreachableReason.NetworkUnreachable,
        [SocketError.NetworkDown] = OnvifUnreachableReason.NetworkUnreachable,
        [SocketError.HostDown] = OnvifUnreachableReason.NetworkUnreachable,
    };

    public DigestSessionCache Digest => digest;

    public TimeProvider Time => time;

    public async Task<CameraReply> SendAsync(CameraRequest request, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(request.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await SendWithDigestAsync(request, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Our own limit, or HttpClient.Timeout of a client passed in: both mean "no answer in time".
            throw Unreachable(request, OnvifUnreachableReason.Timeout, $"no answer within {request.Timeout.TotalSeconds:0.#} s", ex);
        }
        catch (HttpRequestException ex) when (FindInChain<ImageStreamEndedException>(ex) is { } ended)
        {
            // The caller's stream was short: their error, not the camera's; keep its stack.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ended).Throw();
            throw;
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError is HttpRequestError.InvalidResponse or HttpRequestError.ConfigurationLimitExceeded)
        {
            throw new OnvifMalformedResponseException(request.Operation, request.Uri, 0, $"not a valid HTTP answer: {ex.Message}", innerException: ex);
        }
        catch (HttpRequestException ex)
        {
            throw Unreachable(request, Classify(ex), ex.Message, ex);
        }
        catch (IOException ex)
        {
            // The connection broke while the answer was read.
            throw Unreachable(request, FindInChain<SocketException>(ex) is { SocketErrorCode: SocketError.TimedOut } ? OnvifUnreachableReason.Timeout : OnvifUnreachableReason.ConnectionReset, ex.Message, ex);
        }
    }

    private async Task<CameraReply> SendWithDigestAsync(CameraRequest request, CancellationToken cancellationToken)
    {
        var session = request.AnswerDigest ? digest.Find(request.Uri) : null;
        var answeringFreshChallenge = false;
        for (var round = 1; ; round++)
        {
            using var message = new HttpRequestMessage(request.Method, request.Uri) { Content = request.Content() };
            if (request.ExpectContinue)
            {
                message.Headers.ExpectContinue = true;
            }

            if (session is not null)
            {
                message.Headers.Authorization = new AuthenticationHeaderValue("Digest", session.Authorize(credentials, request.Method.Method, request.Uri.PathAndQuery));
            }

            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var offered = false;
            if (response.StatusCode == HttpStatusCode.Unauthorized && request.AnswerDigest
                && DigestChallenge.SelectBest(response.Headers.TryGetValues("WWW-Authenticate", out var values) ? values : []) is { } challenge)
            {
                offered = true;
                var refused = session is not null && answeringFreshChallenge && !challenge.Stale;
                if (refused)
                {
                    digest.Forget(request.Uri);
                }
                else if (round < MaxRounds && request.CanResend())
                {
                    OnvifLog.DigestChallenged(logger, request.Operation, request.Uri, challenge.Algorithm, challenge.Stale, session is not null);
                    session = digest.Store(request.Uri, challenge);
                    answeringFreshChallenge = true;
                    continue;
                }
            }

            var body = await ReadCappedAsync(response, request, cancellationToken).ConfigureAwait(false);
            return new CameraReply((int)response.StatusCode, body, response.Content.Headers.ContentType?.MediaType, session is not null, offered);
        }
    }

    private static async Task<byte[]> ReadCappedAsync(HttpResponseMessage response, CameraRequest request, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (response.Content.Headers.ContentLength > request.MaxReplyBytes)
        {
            throw TooLarge(request, status);
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > request.MaxReplyBytes)
                {
                    throw TooLarge(request, status);
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
    }

    private static OnvifMalformedResponseException TooLarge(CameraRequest request, int status) =>
        new(request.Operation, request.Uri, status, $"answer larger than the {request.MaxReplyBytes} bytes read");

    private OnvifUnreachableException Unreachable(CameraRequest request, OnvifUnreachableReason reason, string detail, Exception inner)
    {
        OnvifLog.Unreachable(logger, request.Operation, request.Uri, reason, detail);
        return new OnvifUnreachableException(request.Operation, request.Uri, reason, $"{request.Operation} to {request.Uri.GetLeftPart(UriPartial.Authority)}: {reason}: {detail}", inner, request.BytesSent?.Invoke());
    }

    private static OnvifUnreachableReason Classify(HttpRequestException ex)
    {
        if (FindInChain<SocketException>(ex) is { } socket && SocketReasons.TryGetValue(socket.SocketErrorCode, out var reason))
        {
            return reason;
        }

        if (ex.HttpRequestError == HttpRequestError.NameResolutionError)
        {
            return OnvifUnreachableReason.NameNotResolved;
        }

        if (ex.HttpRequestError == HttpRequestError.SecureConnectionError)
        {
            return OnvifUnreachableReason.TlsFailed;
        }

        return ex.HttpRequestError == HttpRequestError.ResponseEnded || FindInChain<IOException>(ex) is not null
            ? OnvifUnreachableReason.ConnectionReset
            : OnvifUnreachableReason.Other;
    }

    private static T? FindInChain<T>(Exception? ex)
        where T : Exception
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is T match)
            {
                return match;
            }
        }

        return null;
    }
}
