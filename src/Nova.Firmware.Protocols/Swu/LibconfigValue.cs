namespace Nova.Firmware.Protocols.Swu;

/// <summary>A value in a libconfig document (the syntax of SWUpdate's sw-description).</summary>
public abstract record LibconfigValue(int Line);

public sealed record LibconfigString(string Value, int Line) : LibconfigValue(Line);

public sealed record LibconfigInteger(long Value, int Line) : LibconfigValue(Line);

public sealed record LibconfigFloat(double Value, int Line) : LibconfigValue(Line);

public sealed record LibconfigBoolean(bool Value, int Line) : LibconfigValue(Line);

/// <summary><c>[ ... ]</c>: scalars only, in libconfig's grammar.</summary>
public sealed record LibconfigArray(IReadOnlyList<LibconfigValue> Items, int Line) : LibconfigValue(Line);

/// <summary><c>( ... )</c>: any values, typically groups (SWUpdate's <c>images</c>).</summary>
public sealed record LibconfigList(IReadOnlyList<LibconfigValue> Items, int Line) : LibconfigValue(Line);

/// <summary><c>{ name = value; ... }</c>, kept in document order.</summary>
public sealed record LibconfigGroup(IReadOnlyList<LibconfigSetting> Settings, int Line) : LibconfigValue(Line)
{
    public LibconfigValue? this[string name] => Settings.FirstOrDefault(s => s.Name == name)?.Value;
}

public sealed record LibconfigSetting(string Name, LibconfigValue Value);
