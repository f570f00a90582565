namespace Nova.Firmware.Protocols.Onvif.Transport;

/// <summary>
/// One HTTP exchange with a camera. <see cref="Content"/> is called once per attempt (a challenge
/// means a second attempt); <see cref="CanResend"/> says whether a body may go out again.
/// </summary>
internal sealed record CameraRequest(string Operation, HttpMethod Method, Uri Uri, Func<HttpContent?> Content, TimeSpan Timeout, int MaxReplyBytes)
{
    /// <summary>Answer an HTTP Digest challenge (and authenticate up front from a cached one).</summary>
    public bool AnswerDigest { get; init; } = true;

    /// <summary>Send <c>Expect: 100-continue</c>, so a challenge arrives before the body is sent.</summary>
    public bool ExpectContinue { get; init; }

    public Func<bool> CanResend { get; init; } = static () => true;

    /// <summary>For uploads: bytes of the body that left us, reported with a connection failure.</summary>
    public Func<long>? BytesSent { get; init; }
}

/// <summary>A camera's answer: status, the (capped) body, and how authentication went.</summary>
internal sealed record CameraReply(int Status, byte[] Body, string? MediaType, bool SentDigest, bool DigestOffered)
{
    public bool IsSuccess => Status is >= 200 and < 300;
}
