using Nova.Firmware.Protocols.Onvif;
using Nova.Firmware.Protocols.Onvif.Auth;

namespace Nova.Firmware.Protocols.Tests.Onvif;

/// <summary>The Digest computation against the RFCs' own examples, and the challenge parser on real-world header shapes.</summary>
public sealed class DigestTests
{
    // RFC 7616 §3.9.1: user "Mufasa", password "Circle of Life" (lower-case "of", erratum 4495).
    private const string RfcNonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
    private const string RfcCnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";

    [Theory]
    [InlineData("MD5", "8ca523f5e9506fed4657c9700eebdbec")]
    [InlineData("SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")]
    public void Response_Rfc7616Example_MatchesPublishedResponse(string algorithm, string expected)
    {
        var response = DigestCalculator.Response(algorithm, "Mufasa", "http-auth@example.org", "Circle of Life", RfcNonce, "GET", "/dir/index.html", "auth", "00000001", RfcCnonce);

        Assert.Equal(expected, response);
    }

    [Fact]
    public void Response_Rfc2617Example_MatchesPublishedResponse()
    {
        var response = DigestCalculator.Response("MD5", "Mufasa", "testrealm@host.com", "Circle Of Life", "dcd98b7102dd2f0e8b11d0f600bfb0c093", "GET", "/dir/index.html", "auth", "00000001", "0a4f113b");

        Assert.Equal("6629fae49393a05397450978507c4ef1", response);
    }

    [Fact]
    public void Authorize_Rfc7616ChallengeAndFixedCnonce_WritesTheRfcsAuthorizationFields()
    {
        var header = $"""Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="{RfcNonce}", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS", Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5, nonce="{RfcNonce}", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS" """;
        var challenge = DigestChallenge.SelectBest([header])!;

        var authorization = new DigestSession(challenge).Authorize(new OnvifCredentials("Mufasa", "Circle of Life"), "GET", "/dir/index.html", RfcCnonce);

        Assert.Equal("SHA-256", challenge.Algorithm);
        Assert.Contains("response=\"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1\"", authorization, StringComparison.Ordinal);
        Assert.Contains("qop=auth, nc=00000001", authorization, StringComparison.Ordinal);
        Assert.Contains("opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"", authorization, StringComparison.Ordinal);
        Assert.Contains("algorithm=SHA-256", authorization, StringComparison.Ordinal);
    }

    [Fact]
    public void Authorize_SameSessionTwice_CountsNcUpWithFreshCnonces()
    {
        var session = new DigestSession(DigestChallenge.SelectBest(["Digest realm=\"r\", nonce=\"n\", qop=\"auth\""])!);
        var credentials = new OnvifCredentials("u", "p");

        var first = session.Authorize(credentials, "POST", "/onvif/device_service");
        var second = session.Authorize(credentials, "POST", "/onvif/device_service");

        Assert.Contains("nc=00000001", first, StringComparison.Ordinal);
        Assert.Contains("nc=00000002", second, StringComparison.Ordinal);
        Assert.NotEqual(Field(first, "cnonce"), Field(second, "cnonce"));
        Assert.Equal(2, session.NonceCount);
    }

    [Fact]
    public void Authorize_ChallengeWithoutQop_AnswersRfc2069StyleWithoutNcOrCnonce()
    {
        var session = new DigestSession(DigestChallenge.SelectBest(["Digest realm=\"testrealm\", nonce=\"1053604145\", algorithm=\"SHA-256\""])!);

        var authorization = session.Authorize(new OnvifCredentials("testuser", "testpass"), "GET", "/2061");

        // The same computation as curl's RFC 7616 SHA-256 test without qop.
        Assert.Contains("response=\"9dc55255f1a2537b838311674b621d45346b862a81631bb20e4ce356ef25062d\"", authorization, StringComparison.Ordinal);
        Assert.DoesNotContain("nc=", authorization, StringComparison.Ordinal);
        Assert.DoesNotContain("cnonce", authorization, StringComparison.Ordinal);
    }

    [Fact]
    public void SelectBest_BasicThenDigestInOneHeaderWithCommasInQuotes_FindsTheDigestChallenge()
    {
        var challenge = DigestChallenge.SelectBest(["Basic realm=\"a, b\", Digest realm=\"cam, 1\", nonce=\"x\\\"y\", qop=\"auth\", stale=TRUE"]);

        Assert.NotNull(challenge);
        Assert.Equal("cam, 1", challenge.Realm);
        Assert.Equal("x\"y", challenge.Nonce);
        Assert.True(challenge.Stale);
        Assert.Equal("MD5", challenge.Algorithm);
    }

    [Theory]
    [InlineData("Digest realm=\"r\", nonce=\"n\", qop=\"auth-int\"")]
    [InlineData("Digest realm=\"r\", nonce=\"n\", qop=\"auth\", algorithm=SHA-512-256")]
    [InlineData("Basic realm=\"r\"")]
    [InlineData("Digest realm=\"r\"")]
    public void SelectBest_NothingWeCanAnswer_ReturnsNull(string header)
    {
        Assert.Null(DigestChallenge.SelectBest([header]));
    }

    [Fact]
    public void Authorize_UserHashChallenge_SendsTheHashedUsername()
    {
        var session = new DigestSession(DigestChallenge.SelectBest(["Digest realm=\"api@example.org\", nonce=\"n\", qop=\"auth\", algorithm=SHA-256, userhash=true"])!);

        var authorization = session.Authorize(new OnvifCredentials("J\u00e4s\u00f8n Doe", "Secret, or not?"), "GET", "/doe.json");

        Assert.Equal(DigestCalculator.HashedUsername("SHA-256", "J\u00e4s\u00f8n Doe", "api@example.org"), Field(authorization, "username"));
        Assert.Contains("userhash=true", authorization, StringComparison.Ordinal);
    }

    private static string? Field(string authorization, string name) =>
        System.Text.RegularExpressions.Regex.Match(authorization, $"""(?:^|[ ,]){name}="([^"]*)" """.TrimEnd()).Groups[1].Value;
}
