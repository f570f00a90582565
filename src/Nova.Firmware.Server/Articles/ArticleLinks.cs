using Nova.Firmware.Domain.Diagnosis;

namespace Nova.Firmware.Server.Articles;

/// <summary>
/// Which section of which article explains a diagnosed cause. The links are relative to the
/// server, point at pages anyone can read (<c>GET /articles/{slug}</c>), and are checked by a test
/// against the articles' real anchors.
/// </summary>
public static class ArticleLinks
{
    public const string FirmwareFlashFailed = "firmware-flash-failed";

    public static string ForCause(FailureCause cause) => cause switch
    {
        FailureCause.InsufficientSpace => Page(FirmwareFlashFailed, "if-space-ran-out"),
        FailureCause.PowerLoss => Page(FirmwareFlashFailed, "if-power-was-lost"),
        FailureCause.ChecksumMismatch => Page(FirmwareFlashFailed, "if-the-checksum-is-wrong"),
        FailureCause.WrongHardware => Page(FirmwareFlashFailed, "if-the-package-is-for-the-wrong-hardware"),
        // A device that did not come back, or came back in a boot loop: waiting, then recovery.
        FailureCause.Unreachable => Page(FirmwareFlashFailed, "if-power-was-lost"),
        FailureCause.BootFailure => Page(FirmwareFlashFailed, "if-power-was-lost"),
        FailureCause.Unknown => Page(FirmwareFlashFailed, "if-none-of-this-worked"),
        _ => Page(FirmwareFlashFailed, "if-none-of-this-worked"),
    };

    public static string Page(string slug, string? anchor = null) =>
        anchor is null ? $"/articles/{slug}" : $"/articles/{slug}#{anchor}";
}
