namespace Nova.Firmware.Protocols.Onvif;

/// <summary>GetSystemLog's LogType.</summary>
public enum OnvifSystemLogType
{
    System = 0,
    Access = 1,
}

/// <summary>A system log the camera sent as text (tt:SystemLog/tt:String).</summary>
public sealed record OnvifSystemLog(OnvifSystemLogType Type, string Text);
