namespace Nova.Firmware.Protocols.Onvif;

/// <summary>The camera answered with a SOAP fault.</summary>
public sealed class OnvifFaultException : OnvifException
{
    public OnvifFaultException(string operation, Uri? endpoint, int httpStatus, OnvifFault fault)
        : base(OnvifErrorKind.Fault, operation, endpoint, $"{operation} failed: {fault.Code}/{fault.Subcode ?? "-"}: {fault.Reason}")
    {
        HttpStatus = httpStatus;
        Fault = fault;
    }

    public int HttpStatus { get; }

    public OnvifFault Fault { get; }

    public string Code => Fault.Code;

    public string? Subcode => Fault.Subcode;

    public string Reason => Fault.Reason;
}
