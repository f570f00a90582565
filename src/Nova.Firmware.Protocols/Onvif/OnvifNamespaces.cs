namespace Nova.Firmware.Protocols.Onvif;

/// <summary>XML namespaces of ONVIF Device Management, WS-Security and WS-Discovery.</summary>
public static class OnvifNamespaces
{
    /// <summary>SOAP 1.2, what ONVIF requires.</summary>
    public const string Soap12 = "http://www.w3.org/2003/05/soap-envelope";

    /// <summary>SOAP 1.1: only read, for cameras that answer faults in it anyway.</summary>
    public const string Soap11 = "http://schemas.xmlsoap.org/soap/envelope/";

    public const string Device = "http://www.onvif.org/ver10/device/wsdl";
    public const string Schema = "http://www.onvif.org/ver10/schema";
    public const string Error = "http://www.onvif.org/ver10/error";
    public const string Network = "http://www.onvif.org/ver10/network/wsdl";

    public const string WsSecurity = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
    public const string WsSecurityUtility = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
    public const string PasswordDigestType = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest";
    public const string Base64BinaryEncoding = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary";

    /// <summary>WS-Discovery as ONVIF uses it (the 2005/04 draft, not the 2009 OASIS standard).</summary>
    public const string Discovery = "http://schemas.xmlsoap.org/ws/2005/04/discovery";

    /// <summary>The 2009 OASIS WS-Discovery namespace: read too, some devices answer in it.</summary>
    public const string Discovery2009 = "http://docs.oasis-open.org/ws-dd/ns/discovery/2009/01";

    public const string Addressing = "http://schemas.xmlsoap.org/ws/2004/08/addressing";
}
