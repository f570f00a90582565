using System.Globalization;
using System.Security;
using System.Xml;

namespace Nova.Firmware.Simulator.Faces.Onvif;

/// <summary>SOAP 1.2 envelopes for the Device Management operations the simulator answers.</summary>
public static class OnvifSoap
{
    public const string Soap = "http://www.w3.org/2003/05/soap-envelope";
    public const string Tds = "http://www.onvif.org/ver10/device/wsdl";
    public const string Tt = "http://www.onvif.org/ver10/schema";
    public const string ContentType = "application/soap+xml; charset=utf-8";

    public static string Envelope(string body) =>
        $"""<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="{Soap}" xmlns:tds="{Tds}" xmlns:tt="{Tt}"><s:Body>{body}</s:Body></s:Envelope>""";

    public static string Fault(string code, string subcode, string reason) => Envelope(
        $"""<s:Fault><s:Code><s:Value>s:{code}</s:Value><s:Subcode><s:Value xmlns:ter="http://www.onvif.org/ver10/error">ter:{subcode}</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang="en">{Escape(reason)}</s:Text></s:Reason></s:Fault>""");

    public static string DeviceInformation(string manufacturer, string model, string firmware, string serial, string hardwareId) => Envelope(
        $"<tds:GetDeviceInformationResponse><tds:Manufacturer>{Escape(manufacturer)}</tds:Manufacturer><tds:Model>{Escape(model)}</tds:Model>" +
        $"<tds:FirmwareVersion>{Escape(firmware)}</tds:FirmwareVersion><tds:SerialNumber>{Escape(serial)}</tds:SerialNumber>" +
        $"<tds:HardwareId>{Escape(hardwareId)}</tds:HardwareId></tds:GetDeviceInformationResponse>");

    public static string SystemDateAndTime(DateTimeOffset utc) => Envelope(
        "<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime><tt:DateTimeType>NTP</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings>" +
        "<tt:TimeZone><tt:TZ>UTC0</tt:TZ></tt:TimeZone><tt:UTCDateTime>" +
        $"<tt:Time><tt:Hour>{utc.Hour}</tt:Hour><tt:Minute>{utc.Minute}</tt:Minute><tt:Second>{utc.Second}</tt:Second></tt:Time>" +
        $"<tt:Date><tt:Year>{utc.Year}</tt:Year><tt:Month>{utc.Month}</tt:Month><tt:Day>{utc.Day}</tt:Day></tt:Date>" +
        "</tt:UTCDateTime></tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>");

    public static string StartFirmwareUpgrade(string uploadUri, TimeSpan uploadDelay, TimeSpan expectedDownTime) => Envelope(
        $"<tds:StartFirmwareUpgradeResponse><tds:UploadUri>{Escape(uploadUri)}</tds:UploadUri>" +
        $"<tds:UploadDelay>{XmlConvert.ToString(uploadDelay)}</tds:UploadDelay><tds:ExpectedDownTime>{XmlConvert.ToString(expectedDownTime)}</tds:ExpectedDownTime>" +
        "</tds:StartFirmwareUpgradeResponse>");

    public static string SystemReboot(string message) => Envelope($"<tds:SystemRebootResponse><tds:Message>{Escape(message)}</tds:Message></tds:SystemRebootResponse>");

    public static string SystemLog(IEnumerable<string> lines) => Envelope(
        $"<tds:GetSystemLogResponse><tds:SystemLog><tt:String>{Escape(string.Join('\n', lines))}</tt:String></tds:SystemLog></tds:GetSystemLogResponse>");

    public static string Seconds(double seconds) => XmlConvert.ToString(TimeSpan.FromSeconds(Math.Ceiling(seconds)));

    private static string Escape(string text) => SecurityElement.Escape(text) ?? "";

    internal static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
