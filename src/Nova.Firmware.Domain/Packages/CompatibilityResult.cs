namespace Nova.Firmware.Domain.Packages;

/// <summary>One reason a package does not fit a device, written for the operator.</summary>
public sealed record CompatibilityMismatch(CompatibilityField Field, string Reason);

/// <summary>The outcome of a compatibility check: fits, or every reason it does not.</summary>
public sealed record CompatibilityResult(IReadOnlyList<CompatibilityMismatch> Mismatches)
{
    public bool Fits => Mismatches.Count == 0;
}
