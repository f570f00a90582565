using Microsoft.AspNetCore.Http;
using Nova.Firmware.Server.Ddi;

namespace Nova.Firmware.Server.Tests.Ddi;

/// <summary>Which paths skip the API's credential schemes: the DDI routes, and nothing else.</summary>
public sealed class DdiDevicePathTests
{
    [Theory]
    [InlineData("/DEFAULT/controller/v1/cam-1", true)]
    [InlineData("/default/Controller/V1/cam-1/deploymentBase/7", true)]
    [InlineData("/other/controller/v1/x", true)] // another tenant: the filter answers 404, still no API credentials
    [InlineData("/DEFAULT/controller/v1/", false)]
    [InlineData("//controller/v1/x", false)]
    [InlineData("/api/v1/devices", false)]
    [InlineData("/console/controller/v1", false)]
    [InlineData("/a/b/controller/v1/x", false)]
    [InlineData("/", false)]
    [InlineData("", false)]
    public void IsDevicePath(string path, bool expected) =>
        Assert.Equal(expected, DdiEndpoints.IsDevicePath(new PathString(path)));
}
