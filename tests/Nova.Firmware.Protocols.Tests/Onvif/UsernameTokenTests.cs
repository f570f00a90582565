using System.Xml.Linq;
using Nova.Firmware.Protocols.Onvif;
using Nova.Firmware.Protocols.Onvif.Auth;

namespace Nova.Firmware.Protocols.Tests.Onvif;

public sealed class UsernameTokenTests
{
    private static readonly XNamespace Wsse = OnvifNamespaces.WsSecurity;
    private static readonly XNamespace Wsu = OnvifNamespaces.WsSecurityUtility;

    [Fact]
    public void PasswordDigest_OnvifCoreTestVector_MatchesPublishedValue()
    {
        var digest = UsernameToken.PasswordDigest(Convert.FromBase64String("LKqI6G/AikKCQrN0zqZFlg=="), "2010-09-16T07:50:45Z", "userpassword");

        Assert.Equal("tuOSpGlFlIXsozq4HFNeeGeFLEI=", digest);
    }

    [Fact]
    public void Header_GivenNonceAndTime_CarriesUserDigestNonceAndCreatedThatVerify()
    {
        var nonce = Convert.FromBase64String("LKqI6G/AikKCQrN0zqZFlg==");

        var header = UsernameToken.Header(new OnvifCredentials("user", "userpassword"), new DateTimeOffset(2010, 9, 16, 9, 50, 45, TimeSpan.FromHours(2)), nonce);

        var token = header.Element(Wsse + "UsernameToken")!;
        Assert.Equal("user", token.Element(Wsse + "Username")!.Value);
        Assert.Equal("2010-09-16T07:50:45Z", token.Element(Wsu + "Created")!.Value);
        Assert.Equal("LKqI6G/AikKCQrN0zqZFlg==", token.Element(Wsse + "Nonce")!.Value);
        Assert.Equal("tuOSpGlFlIXsozq4HFNeeGeFLEI=", token.Element(Wsse + "Password")!.Value);
        Assert.EndsWith("#PasswordDigest", (string?)token.Element(Wsse + "Password")!.Attribute("Type"), StringComparison.Ordinal);
    }

    [Fact]
    public void Header_TwoTokens_UseFreshNonces()
    {
        var credentials = new OnvifCredentials("user", "pw");
        var now = DateTimeOffset.UnixEpoch;

        var first = UsernameToken.Header(credentials, now).Descendants(Wsse + "Nonce").Single().Value;
        var second = UsernameToken.Header(credentials, now).Descendants(Wsse + "Nonce").Single().Value;

        Assert.NotEqual(first, second);
        Assert.Equal(16, Convert.FromBase64String(first).Length);
    }

    [Fact]
    public void Credentials_ToString_LeavesThePasswordOut()
    {
        Assert.DoesNotContain("secret", new OnvifCredentials("admin", "secret").ToString(), StringComparison.Ordinal);
    }
}
